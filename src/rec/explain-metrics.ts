/**
 * Explanation quality metrics of `npm run eval:explain` (issue 5), computed per explanation and
 * summarised over a run. Truth is judged against the catalog and the model, not against the
 * explanation's own fact set, so a bug in the facts would show up here:
 * - hallucinated: the text names something not in its fact set (post-check), or cites a concept
 *   the catalog does not give the item;
 * - faithfulness: cited history items among SASRec's top-3 by occlusion;
 * - concept matching: cited concepts true of the item and of the user (profile or cited items);
 * - concept overlap: mean pairwise Jaccard of cited concept sets of one item across users.
 */
import { distinctN } from '../eval/metrics.ts';
import type { CatalogItem } from '../data/types.ts';
import { conceptKey, itemConceptKeys, type Concept } from './concepts.ts';
import type { UserProfile } from './profile.ts';

/** One explanation as the eval records it. */
export interface ExplanationRecord {
  itemId: number;
  text: string;
  /** who wrote the text (an LLM verbaliser falls back to the template when no attempt passes) */
  source: 'llm' | 'template';
  /** post-check verdict */
  passedCheck: boolean;
  citedItems: number[];
  citedConcepts: Concept[];
  /** SASRec's top-3 history items by occlusion (positive or not) */
  occlusionTop3: number[];
  profile: UserProfile;
  ms: number;
}

/** Summary over a run. */
export interface ExplanationSummary {
  count: number;
  /** explanations the LLM wrote (the rest are template sentences) */
  llmWritten: number;
  hallucinationRate: number;
  /** null when no explanation cites a history item */
  faithfulness: number | null;
  /** null when no explanation cites a concept */
  conceptMatching: number | null;
  /** null when no item was explained for two users */
  conceptOverlap: number | null;
  distinct1: number;
  distinct2: number;
  medianWords: number;
  medianMs: number;
}

/** Cited concepts true of the item and of the user, and how many were cited. */
export function conceptMatches(
  record: ExplanationRecord,
  itemById: (id: number) => CatalogItem | undefined,
): { matched: number; cited: number } {
  const item = itemById(record.itemId);
  const itemKeys = item ? itemConceptKeys(item) : new Set<string>();
  const userKeys = new Set(record.profile.concepts.map((c) => conceptKey(c.concept)));
  for (const id of record.citedItems) {
    const cited = itemById(id);
    if (cited) for (const k of itemConceptKeys(cited)) userKeys.add(k);
  }
  const matched = record.citedConcepts.filter(
    (c) => itemKeys.has(conceptKey(c)) && userKeys.has(conceptKey(c)),
  ).length;
  return { matched, cited: record.citedConcepts.length };
}

/** Mean pairwise Jaccard similarity of sets (1 for two empty sets). */
export function meanPairwiseJaccard(sets: readonly Set<string>[]): number | null {
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < sets.length; a++) {
    for (let b = a + 1; b < sets.length; b++) {
      const union = new Set([...sets[a], ...sets[b]]).size;
      const inter = [...sets[a]].filter((k) => sets[b].has(k)).length;
      total += union === 0 ? 1 : inter / union;
      pairs++;
    }
  }
  return pairs === 0 ? null : total / pairs;
}

/** Median of numbers (mean of the middle two for even counts); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Summarise explanation records (one run, one verbaliser). */
export function summarizeExplanations(
  records: readonly ExplanationRecord[],
  itemById: (id: number) => CatalogItem | undefined,
): ExplanationSummary {
  let hallucinated = 0;
  let cited = 0;
  let faithful = 0;
  let conceptsCited = 0;
  let conceptsMatched = 0;
  const byItem = new Map<number, Set<string>[]>();
  for (const r of records) {
    const m = conceptMatches(r, itemById);
    const item = itemById(r.itemId);
    const untrue = item ? r.citedConcepts.some((c) => !itemConceptKeys(item).has(conceptKey(c))) : true;
    if (!r.passedCheck || untrue) hallucinated++;
    cited += r.citedItems.length;
    faithful += r.citedItems.filter((id) => r.occlusionTop3.includes(id)).length;
    conceptsCited += m.cited;
    conceptsMatched += m.matched;
    const sets = byItem.get(r.itemId) ?? [];
    sets.push(new Set(r.citedConcepts.map(conceptKey)));
    byItem.set(r.itemId, sets);
  }
  const overlaps = [...byItem.values()].map(meanPairwiseJaccard).filter((v) => v !== null);
  const texts = records.map((r) => r.text.toLowerCase().replace(/[.,;:!?]/g, ''));
  return {
    count: records.length,
    llmWritten: records.filter((r) => r.source === 'llm').length,
    hallucinationRate: records.length === 0 ? 0 : hallucinated / records.length,
    faithfulness: cited === 0 ? null : faithful / cited,
    conceptMatching: conceptsCited === 0 ? null : conceptsMatched / conceptsCited,
    conceptOverlap: overlaps.length === 0 ? null : overlaps.reduce((s, v) => s + v, 0) / overlaps.length,
    distinct1: distinctN(texts, 1),
    distinct2: distinctN(texts, 2),
    medianWords: median(records.map((r) => r.text.split(/\s+/).filter((w) => w !== '').length)),
    medianMs: median(records.map((r) => r.ms)),
  };
}
