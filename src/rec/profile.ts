/**
 * The user profile (PALR step 1): the dominant concepts of the history, counted — never guessed —
 * and one natural-language line built from them.
 */
import type { CatalogItem } from '../data/types.ts';
import { conceptKey, itemConcepts, type Concept } from './concepts.ts';

/** One concept of the profile with how often the history shows it. */
export interface ProfileConcept {
  concept: Concept;
  /** history items carrying the concept */
  count: number;
  /** count / history items with metadata, in (0, 1] */
  share: number;
}

/** The profile of one history. */
export interface UserProfile {
  /** dominant concepts, most frequent first (ties: genre < decade < tag, then alphabetical) */
  concepts: ProfileConcept[];
  /** e.g. "Mostly Comedy and Drama, often from the 1990s; tags you return to: dark comedy." */
  line: string;
  /** history items that were found in the catalog */
  itemsCounted: number;
}

/** Options of `buildProfile`. */
export interface ProfileOptions {
  /** a concept must appear on at least this many history items (default 2; 1 for histories of < 4 items) */
  minCount?: number;
  /** at most this many concepts per kind (default 3) */
  perKind?: number;
}

const KIND_ORDER = { genre: 0, decade: 1, tag: 2 } as const;

/** Join labels as "A", "A and B", "A, B and C". */
export function joinLabels(labels: readonly string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** The profile line from ranked concepts (empty history → a line saying so). */
function profileLine(concepts: readonly ProfileConcept[]): string {
  const of = (kind: Concept['kind']): string[] =>
    concepts.filter((c) => c.concept.kind === kind).map((c) => c.concept.label);
  const parts: string[] = [];
  const genres = of('genre');
  const decades = of('decade');
  const tags = of('tag');
  if (genres.length > 0) parts.push(`Mostly ${joinLabels(genres)}`);
  if (decades.length > 0)
    parts.push(`${parts.length > 0 ? 'often' : 'Often'} from the ${joinLabels(decades)}`);
  let line = parts.join(', ');
  if (tags.length > 0)
    line += `${line ? '; ' : ''}${line ? 'tags' : 'Tags'} you return to: ${tags.join(', ')}`;
  return line ? `${line}.` : 'Not enough history yet for a profile.';
}

/**
 * Count every concept over the history items (each item counts once per concept; repeated views
 * count again) and keep the dominant ones.
 * @param history item ids, oldest first; [len]
 * @param itemById catalog lookup by dense id
 */
export function buildProfile(
  history: ArrayLike<number>,
  itemById: (id: number) => CatalogItem | undefined,
  options: ProfileOptions = {},
): UserProfile {
  const counts = new Map<string, { concept: Concept; count: number }>();
  let itemsCounted = 0;
  for (let j = 0; j < history.length; j++) {
    const item = itemById(history[j]);
    if (!item) continue;
    itemsCounted++;
    for (const concept of itemConcepts(item)) {
      const key = conceptKey(concept);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { concept, count: 1 });
    }
  }
  const minCount = options.minCount ?? (itemsCounted < 4 ? 1 : 2);
  const perKind = options.perKind ?? 3;
  const ranked = [...counts.values()]
    .filter((e) => e.count >= minCount)
    .sort(
      (a, b) =>
        b.count - a.count ||
        KIND_ORDER[a.concept.kind] - KIND_ORDER[b.concept.kind] ||
        a.concept.label.localeCompare(b.concept.label),
    );
  const kept: ProfileConcept[] = [];
  const perKindSeen = { genre: 0, decade: 0, tag: 0 };
  for (const e of ranked) {
    if (perKindSeen[e.concept.kind]++ >= perKind) continue;
    kept.push({ concept: e.concept, count: e.count, share: e.count / itemsCounted });
  }
  return { concepts: kept, line: profileLine(kept), itemsCounted };
}
