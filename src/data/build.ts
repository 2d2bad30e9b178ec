/**
 * Dataset builder: interactions (original keys) → per-user time-ordered sequences of dense item ids,
 * with optional rating threshold, iterative k-core filter and a catalog.
 *
 * Ordering rules (deterministic):
 *  - Within a user, interactions are sorted by timestamp; ties keep file order (stable). If any
 *    interaction lacks a timestamp, file order is used for everyone (SASRec-style files).
 *  - Dense item ids follow `options.itemOrder` when given (e.g. to keep SASRec's numbering),
 *    otherwise the item keys' order (integers numerically, see `compareKeys`).
 *  - Users are ordered by key the same way; users left with no interactions are dropped.
 *  - Repeated user–item pairs are kept (repeat consumption is part of the sequence).
 */
import { buildCatalog, itemPopularity, topTagsByItem, DEFAULT_TAGS_PER_ITEM } from './catalog.ts';
import { DatasetBuildError } from './errors.ts';
import { kCoreFilter } from './kcore.ts';
import { compareKeys, KeyInterner } from './keys.ts';
import type { Dataset, Interaction, ItemMeta, TagRecord } from './types.ts';

/** Options of `buildDataset`. All optional. */
export interface BuildOptions {
  /** keep only interactions with rating ≥ this (interactions must have ratings) */
  minRating?: number;
  /** k-core: minimum interactions per user (default 1 = no filter) */
  minUserInteractions?: number;
  /** k-core: minimum interactions per item (default 1 = no filter) */
  minItemInteractions?: number;
  /** item metadata (titles, years, genres) */
  items?: readonly ItemMeta[];
  /** user tags; the most frequent per item go into the catalog */
  tags?: readonly TagRecord[];
  /** tags kept per item (default 5) */
  tagsPerItem?: number;
  /** dense numbering: the i-th key present in the data gets the next id; keys missing here are an error */
  itemOrder?: readonly string[];
}

/** Columnar form of the interactions after interning. */
interface Columns {
  users: Int32Array; // [n] user index
  items: Int32Array; // [n] item index
  ratings: Float32Array | null; // [n]
  timestamps: Float64Array | null; // [n], null when any is missing
}

/** Build a Dataset from interactions. @throws DatasetBuildError when nothing is left or options conflict */
export function buildDataset(
  name: string,
  interactions: readonly Interaction[],
  options: BuildOptions = {},
): Dataset {
  checkOptions(name, interactions.length, options);
  const userKeys = new KeyInterner();
  const itemKeys = new KeyInterner();
  const cols = toColumns(interactions, userKeys, itemKeys);
  const alive = ratingMask(interactions, options.minRating); // [n]
  kCoreFilter(
    cols.users,
    cols.items,
    alive,
    userKeys.size,
    itemKeys.size,
    options.minUserInteractions ?? 1,
    options.minItemInteractions ?? 1,
  );
  const itemDense = denseItemIds(cols.items, alive, itemKeys.keys, options.itemOrder); // [items] → id (0 = dropped)
  const byUser = groupByUser(cols, alive, userKeys.size); // [users][len] interaction indices
  const userOrder = [...byUser.keys()]
    .filter((u) => byUser[u].length > 0)
    .sort((a, b) => compareKeys(userKeys.keys[a], userKeys.keys[b]));
  if (userOrder.length === 0) {
    throw new DatasetBuildError(
      `${name}: no interactions left after filtering (minRating / k-core too strict?). Relax the filters.`,
    );
  }
  const sequences = userOrder.map((u) => Int32Array.from(byUser[u], (i) => itemDense.ids[cols.items[i]])); // [users][len]
  const ratings = cols.ratings
    ? userOrder.map((u) => Float32Array.from(byUser[u], (i) => cols.ratings![i]))
    : undefined;
  const meta = new Map((options.items ?? []).map((m) => [m.key, m]));
  const tags = topTagsByItem(options.tags ?? [], options.tagsPerItem ?? DEFAULT_TAGS_PER_ITEM);
  const dataset: Dataset = {
    name,
    items: buildCatalog(itemDense.keysInIdOrder, meta, tags),
    sequences,
    userKeys: userOrder.map((u) => userKeys.keys[u]),
    popularity: itemPopularity(sequences, itemDense.keysInIdOrder.length),
  };
  if (ratings) dataset.ratings = ratings;
  return dataset;
}

function checkOptions(name: string, count: number, options: BuildOptions): void {
  if (count === 0)
    throw new DatasetBuildError(`${name}: the input has no interactions; check that the file has data rows.`);
  for (const key of ['minUserInteractions', 'minItemInteractions', 'tagsPerItem'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= (key === 'tagsPerItem' ? 0 : 1))) {
      throw new DatasetBuildError(
        `${name}: option ${key} must be a whole number ≥ ${key === 'tagsPerItem' ? 0 : 1}, got ${value}.`,
      );
    }
  }
}

function toColumns(
  interactions: readonly Interaction[],
  userKeys: KeyInterner,
  itemKeys: KeyInterner,
): Columns {
  const n = interactions.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const hasRatings = n > 0 && interactions.every((x) => x.rating !== undefined);
  const hasTimes = n > 0 && interactions.every((x) => x.timestamp !== undefined);
  const ratings = hasRatings ? new Float32Array(n) : null;
  const timestamps = hasTimes ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const x = interactions[i];
    users[i] = userKeys.intern(x.user);
    items[i] = itemKeys.intern(x.item);
    if (ratings) ratings[i] = x.rating!;
    if (timestamps) timestamps[i] = x.timestamp!;
  }
  return { users, items, ratings, timestamps };
}

function ratingMask(interactions: readonly Interaction[], minRating: number | undefined): Uint8Array {
  const alive = new Uint8Array(interactions.length).fill(1); // [n]
  if (minRating === undefined) return alive;
  interactions.forEach((x, i) => {
    if (x.rating === undefined) {
      throw new DatasetBuildError(
        `minRating=${minRating} was given but interaction ${i + 1} has no rating; drop minRating for implicit data.`,
      );
    }
    if (x.rating < minRating) alive[i] = 0;
  });
  return alive;
}

function denseItemIds(
  items: Int32Array,
  alive: Uint8Array,
  keys: readonly string[],
  order: readonly string[] | undefined,
): { ids: Int32Array; keysInIdOrder: string[] } {
  const present = new Uint8Array(keys.length); // [items]
  for (let i = 0; i < items.length; i++) if (alive[i]) present[items[i]] = 1;
  const presentKeys = keys.filter((_, k) => present[k]);
  let keysInIdOrder: string[];
  if (order) {
    const inOrder = new Set(order);
    const missing = presentKeys.find((k) => !inOrder.has(k));
    if (missing !== undefined)
      throw new DatasetBuildError(
        `item "${missing}" is not in the given itemOrder; add it or drop itemOrder.`,
      );
    const presentSet = new Set(presentKeys);
    keysInIdOrder = order.filter((k) => presentSet.has(k));
  } else {
    keysInIdOrder = presentKeys.sort(compareKeys);
  }
  const position = new Map(keysInIdOrder.map((k, i) => [k, i + 1]));
  const ids = Int32Array.from(keys, (k) => position.get(k) ?? 0); // [items]
  return { ids, keysInIdOrder };
}

function groupByUser(cols: Columns, alive: Uint8Array, userCount: number): number[][] {
  const byUser: number[][] = Array.from({ length: userCount }, () => []); // [users][len]
  for (let i = 0; i < cols.users.length; i++) if (alive[i]) byUser[cols.users[i]].push(i);
  const ts = cols.timestamps;
  if (ts) for (const list of byUser) list.sort((a, b) => ts[a] - ts[b] || a - b);
  return byUser;
}
