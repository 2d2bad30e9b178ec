/**
 * The facts behind one recommendation, joined on the page from the worker's model facts
 * (`sasrec.explain`), the catalog and the user profile. Everything an explanation may say comes
 * from here: the history items that drove the score (top-3 by occlusion), the concepts the item
 * shares with them and with the profile, and the profile line.
 */
import type { CatalogItem } from '../data/types.ts';
import type { ItemModelFacts, SasrecExplainResult } from '../protocol/messages-sasrec.ts';
import { conceptKey, itemConceptKeys, itemConcepts, type Concept } from './concepts.ts';
import type { UserProfile } from './profile.ts';

/** How many drivers an explanation cites. */
export const DRIVER_COUNT = 3;

/** A history item that drove the recommendation. */
export interface Driver {
  itemId: number;
  title: string;
  /** history index (0 = oldest) */
  index: number;
  /** occlusion score drop */
  drop: number;
  /** its attention-based share for this item (0 when attention did not pick it) */
  attention: number;
}

/** A concept of the item shared with drivers and/or the profile. */
export interface SharedConcept {
  concept: Concept;
  /** driver ids that carry it too */
  drivers: number[];
  /** true when the concept is among the user's dominant concepts */
  inProfile: boolean;
}

/** Everything an explanation of one item may use. */
export interface ExplanationFacts {
  itemId: number;
  title: string;
  /** top-3 by occlusion among history items with a positive drop, largest first */
  drivers: Driver[];
  /** attention attribution as the worker returned it, with titles */
  attention: { itemId: number; title: string; weight: number }[];
  /** occlusion of every considered history item (for the bars), largest drop first */
  occlusion: { itemId: number; title: string; drop: number }[];
  /** shared with drivers and profile first, then drivers only, then profile only */
  shared: SharedConcept[];
  profileLine: string;
  /** set when occlusion looked at fewer items than the window holds */
  occlusionNote?: string;
}

/** Title of `id`, or "item <id>" when the catalog does not know it. */
function titleOf(itemById: (id: number) => CatalogItem | undefined, id: number): string {
  return itemById(id)?.title ?? `item ${id}`;
}

/** Shared concepts of `item` with `drivers` and the profile, ordered by how widely they are shared. */
export function sharedConcepts(
  item: CatalogItem | undefined,
  drivers: readonly CatalogItem[],
  profile: UserProfile,
): SharedConcept[] {
  if (!item) return [];
  const profileKeys = new Set(profile.concepts.map((c) => conceptKey(c.concept)));
  const driverKeys = drivers.map((d) => ({ id: d.id, keys: itemConceptKeys(d) }));
  const out = itemConcepts(item).map((concept) => {
    const key = conceptKey(concept);
    return {
      concept,
      drivers: driverKeys.filter((d) => d.keys.has(key)).map((d) => d.id),
      inProfile: profileKeys.has(key),
    };
  });
  const rank = (s: SharedConcept): number => (s.inProfile ? 1 : 0) + (s.drivers.length > 0 ? 2 : 0);
  return out
    .filter((s) => rank(s) > 0)
    .sort((a, b) => rank(b) - rank(a) || b.drivers.length - a.drivers.length);
}

/** Join model facts for item `itemId` with the catalog and the profile. */
export function buildItemFacts(
  itemId: number,
  model: ItemModelFacts,
  profile: UserProfile,
  itemById: (id: number) => CatalogItem | undefined,
  coverage: Pick<SasrecExplainResult, 'occlusionConsidered' | 'windowLength'>,
): ExplanationFacts {
  const attentionOf = new Map(model.attention.map((a) => [a.index, a.weight]));
  const drivers = model.occlusion
    .filter((o) => o.drop > 0)
    .slice(0, DRIVER_COUNT)
    .map((o) => ({
      itemId: o.itemId,
      title: titleOf(itemById, o.itemId),
      index: o.index,
      drop: o.drop,
      attention: attentionOf.get(o.index) ?? 0,
    }));
  const driverItems = drivers.map((d) => itemById(d.itemId)).filter((d) => d !== undefined);
  const facts: ExplanationFacts = {
    itemId,
    title: titleOf(itemById, itemId),
    drivers,
    attention: model.attention.map((a) => ({
      itemId: a.itemId,
      title: titleOf(itemById, a.itemId),
      weight: a.weight,
    })),
    occlusion: model.occlusion.map((o) => ({
      itemId: o.itemId,
      title: titleOf(itemById, o.itemId),
      drop: o.drop,
    })),
    shared: sharedConcepts(itemById(itemId), driverItems, profile),
    profileLine: profile.line,
  };
  const { occlusionConsidered, windowLength } = coverage;
  if (occlusionConsidered < windowLength) {
    facts.occlusionNote = `Occlusion checked the ${occlusionConsidered} most attended of the ${windowLength} items in the model's window.`;
  }
  return facts;
}
