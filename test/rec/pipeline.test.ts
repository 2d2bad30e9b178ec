import { describe, expect, it } from 'vitest';
import {
  ItemTokenError,
  RecManifestError,
  itemToken,
  parseRecManifest,
  recPrompt,
  type RecManifest,
} from '../../src/rec/item-tokens.ts';
import {
  fuseScores,
  logSoftmax,
  pipelineFullScores,
  sortByFused,
  topCandidates,
  zNormalise,
} from '../../src/rec/pipeline.ts';

const MANIFEST: RecManifest = {
  id: 'tiny-rec',
  arch: 'llama-rec',
  sasrec: 'tiny-sasrec',
  baseVocab: 512,
  itemCount: 10,
  candidates: 3,
  historyTokens: 2,
  prompt: 'history+candidates',
  frames: { 'history:': [7, 8], 'candidates:': [9], 'next:': [10, 11] },
  lora: { r: 8, alpha: 16 },
  fusionWeight: 0.5,
};

describe('item tokens and the prompt', () => {
  it('maps item id i to baseVocab + i - 1 and refuses ids outside the catalog', () => {
    expect(itemToken(MANIFEST, 1)).toBe(512);
    expect(itemToken(MANIFEST, 10)).toBe(521);
    expect(() => itemToken(MANIFEST, 0)).toThrow(ItemTokenError);
    expect(() => itemToken(MANIFEST, 11)).toThrow(/outside 1\.\.10/);
  });

  it('builds BOS + frames + the last historyTokens items + candidates (by hand)', () => {
    const prompt = recPrompt(MANIFEST, [4, 5, 6], [2, 9]);
    // history keeps its last 2 items (5, 6) → 516, 517; candidates 2, 9 → 513, 520
    expect(Array.from(prompt)).toEqual([1, 7, 8, 516, 517, 9, 513, 520, 10, 11]);
  });

  it('builds the history-only prompt of a next-item model: BOS + frame + the last items (by hand)', () => {
    const manifest: RecManifest = { ...MANIFEST, prompt: 'history', frames: { 'history:': [7, 8] } };
    expect(Array.from(recPrompt(manifest, [4, 5, 6], [2, 9]))).toEqual([1, 7, 8, 516, 517]);
  });

  it('reads a manifest without prompt as history+candidates and refuses one missing its frames', () => {
    const old: Partial<RecManifest> = { ...MANIFEST };
    delete old.prompt;
    expect(parseRecManifest(JSON.stringify(old)).prompt).toBe('history+candidates');
    const noNext = { ...MANIFEST, frames: { 'history:': [7, 8], 'candidates:': [9] } };
    expect(() => parseRecManifest(JSON.stringify(noNext))).toThrow(/needs frames "candidates:" and "next:"/);
    const history = { ...MANIFEST, prompt: 'history', frames: { 'history:': [7, 8] } };
    expect(parseRecManifest(JSON.stringify(history)).prompt).toBe('history');
    expect(() => parseRecManifest(JSON.stringify({ ...MANIFEST, prompt: 'chat' }))).toThrow(RecManifestError);
  });

  it('validates the manifest with a named error', () => {
    expect(parseRecManifest(JSON.stringify(MANIFEST)).fusionWeight).toBe(0.5);
    expect(() => parseRecManifest(JSON.stringify({ ...MANIFEST, arch: 'llama' }))).toThrow(RecManifestError);
    expect(() => parseRecManifest(JSON.stringify({ ...MANIFEST, frames: {} }))).toThrow(/frames/);
  });
});

describe('fusion', () => {
  it('z-normalises with the unbiased standard deviation (as torch.std)', () => {
    // [1, 2, 3]: mean 2, unbiased std 1
    const z = zNormalise(Float32Array.from([1, 2, 3]));
    expect(z[0]).toBeCloseTo(-1 / (1 + 1e-6), 9);
    expect(z[1]).toBe(0);
    expect(z[2]).toBeCloseTo(1 / (1 + 1e-6), 9);
  });

  it('log-softmax of equal logits is -log n; fused = z + w · log-softmax', () => {
    const lp = logSoftmax(Float32Array.from([5, 5, 5, 5]));
    for (const v of lp) expect(v).toBeCloseTo(-Math.log(4), 12);
    // llm [0, ln 2]: log-softmax = [ln(1/3), ln(2/3)]; sasrec [0, 2]: z = [-1/√2, 1/√2]·(√2/(√2+1e-6))
    const fused = fuseScores(Float32Array.from([0, 2]), Float32Array.from([0, Math.log(2)]), 2);
    const s = Math.SQRT2 + 1e-6;
    expect(fused[0]).toBeCloseTo(-1 / s + 2 * Math.log(1 / 3), 5);
    expect(fused[1]).toBeCloseTo(1 / s + 2 * Math.log(2 / 3), 5);
  });

  it('w = 0 keeps SASRec order; a large w follows the LLM', () => {
    const candidates = { ids: Int32Array.from([3, 1, 2]), scores: Float32Array.from([0.9, 0.5, 0.1]) };
    const llm = Float32Array.from([0, 1, 10]); // the LLM prefers item 2, then 1
    const keep = sortByFused(candidates, llm, fuseScores(candidates.scores, llm, 0));
    expect(Array.from(keep.ids)).toEqual([3, 1, 2]);
    const flip = sortByFused(candidates, llm, fuseScores(candidates.scores, llm, 10));
    expect(Array.from(flip.ids)).toEqual([2, 1, 3]);
    expect(Array.from(flip.llm)).toEqual([10, 1, 0]);
    expect(Array.from(flip.scores)).toEqual([Float32Array.from([0.1])[0], 0.5, Float32Array.from([0.9])[0]]);
  });
});

describe('candidates and full scores', () => {
  it('takes SASRec top-C without padding and history items, ties to the lower id', () => {
    const scores = Float32Array.from([99, 0.5, 0.9, 0.7, 0.9, 0.1]); // [N + 1], id 0 = padding
    const top = topCandidates(scores, [2], 3);
    expect(Array.from(top.ids)).toEqual([4, 3, 1]);
    expect(Array.from(top.scores)).toEqual(Array.from(Float32Array.from([0.9, 0.7, 0.5])));
  });

  it('puts the re-ranked candidates first in fused order, everything else after in SASRec order', () => {
    const sasrec = Float32Array.from([0, 0.5, 3, 0.7, 0.9, 0.1]); // item 2 is a history item (score 3)
    const reranked = {
      ids: Int32Array.from([3, 4]),
      scores: Float32Array.from([0.7, 0.9]),
      llm: Float32Array.from([0, 0]),
      fused: Float32Array.from([1, 0]),
    };
    const full = pipelineFullScores(sasrec, reranked);
    const order = Array.from(full.keys())
      .slice(1)
      .sort((a, b) => full[b] - full[a]);
    expect(order).toEqual([3, 4, 2, 1, 5]);
    expect(sasrec[3]).toBeCloseTo(0.7, 6); // input untouched
  });
});
