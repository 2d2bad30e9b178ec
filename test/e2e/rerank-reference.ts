/**
 * The Node side of the re-rank e2e test: the same history ranked by SASRec (FastCpuOps, the
 * engine the page's CPU fallback runs) and re-ranked by the rec-tuned LLM through src/rec/pipeline.ts
 * (models/tools/rec-pipeline-scorer.ts loads it as `npm run eval -- --pipeline sasrec+llm` does).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unpackCatalog } from '../../src/data/catalog-binary.ts';
import { topCandidates } from '../../src/rec/pipeline.ts';
import { loadRecLlm } from '../../models/tools/rec-pipeline-scorer.ts';
import { createScorer } from '../../models/tools/scorers.ts';

/** Catalog keys of "Title (year)" labels, in order; throws for a label the catalog lacks. */
export function keysOfLabels(root: string, labels: readonly string[]): string[] {
  const catalog = unpackCatalog(
    new Uint8Array(readFileSync(join(root, 'public/data/ml-latest-small/catalog.bin'))),
  );
  return labels.map((label) => {
    const item = catalog.items.find((i) => `${i.title} (${i.year})` === label);
    if (!item) throw new Error(`${label} is not in the bundled catalog`);
    return item.key;
  });
}

/** SASRec's top `k` and the pipeline's top `k` (item keys, best first) for the history `keys`. */
export async function referenceLists(
  root: string,
  sasrecId: string,
  recId: string,
  keys: readonly string[],
  k: number,
): Promise<{ sasrec: string[]; pipeline: string[] }> {
  const sasrecDir = join(root, 'models', sasrecId);
  const itemKeys = (JSON.parse(readFileSync(join(sasrecDir, 'items.json'), 'utf8')) as unknown[]).map(String); // [N]
  const history = Int32Array.from(keys, (key) => itemKeys.indexOf(key) + 1); // [len] dense ids
  const scorer = await createScorer(sasrecDir, 'cpu');
  try {
    const full = await scorer.score(history); // [N + 1]
    const llm = loadRecLlm(join(root, 'models', recId), 'q8_0');
    const candidates = topCandidates(full, history, llm.manifest.candidates);
    const reranked = await llm.reranker.rerank(history, candidates);
    const keyOf = (id: number): string => itemKeys[id - 1];
    return {
      sasrec: Array.from(candidates.ids.subarray(0, k), keyOf),
      pipeline: Array.from(reranked.ids.subarray(0, k), keyOf),
    };
  } finally {
    scorer.dispose();
  }
}
