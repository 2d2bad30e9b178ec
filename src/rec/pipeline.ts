/**
 * recommend(history) = SASRec top-C candidates → the rec-tuned LLM scores every candidate in ONE
 * forward pass (the logits of the candidates' item tokens at the prompt's last position) → fused
 * score z(SASRec) + w · log-softmax(LLM logits over the candidates) → best first.
 *
 * The same math as models/train/rec_tune.py `fused` (z uses the unbiased standard deviation, as
 * torch.std); w comes from the model's manifest (chosen on the validation split).
 */
import type { Tensor } from '../gpu/ops.ts';
import { topKReference } from '../gpu/reference/top-k.ts';
import type { LlamaForward } from '../llm/forward.ts';
import { recPrompt, itemToken, type RecManifest } from './item-tokens.ts';

/** SASRec's candidates for one request, best first. */
export interface Candidates {
  ids: Int32Array; // [C] item ids
  scores: Float32Array; // [C] SASRec scores
}

/** A re-ranked list, best first. */
export interface Reranked extends Candidates {
  /** [C] LLM logits of each item (same order as ids) */
  llm: Float32Array;
  /** [C] fused scores (same order as ids) */
  fused: Float32Array;
}

/** The best `count` items of SASRec's `scores` [N + 1], skipping padding (0) and the history's items. */
export function topCandidates(scores: Float32Array, history: ArrayLike<number>, count: number): Candidates {
  const exclude = Int32Array.from([0, ...Array.from(history)]); // [1 + history]
  const { ids, scores: top } = topKReference(scores, count, exclude);
  return { ids, scores: top };
}

/** (x − mean) / (unbiased std + 1e-6); x [n]. */
export function zNormalise(x: Float32Array): Float64Array {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const std = Math.sqrt(variance) + 1e-6;
  return Float64Array.from(x, (v) => (v - mean) / std);
}

/** log-softmax of x [n] in f64. */
export function logSoftmax(x: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of x) if (v > max) max = v;
  let sum = 0;
  for (const v of x) sum += Math.exp(v - max);
  const log = Math.log(sum) + max;
  return Float64Array.from(x, (v) => v - log);
}

/** z(sasrec) + w · logSoftmax(llm); both [C] → [C]. */
export function fuseScores(sasrec: Float32Array, llm: Float32Array, weight: number): Float32Array {
  const z = zNormalise(sasrec);
  const lp = logSoftmax(llm);
  return Float32Array.from(z, (v, i) => v + weight * lp[i]);
}

/** Orders `candidates` by `fused` (ties: SASRec order, which is the candidates' order). */
export function sortByFused(candidates: Candidates, llm: Float32Array, fused: Float32Array): Reranked {
  const order = Array.from(candidates.ids.keys()).sort((a, b) => fused[b] - fused[a] || a - b);
  const pick = <A extends Float32Array | Int32Array>(src: A, make: (n: number) => A): A => {
    const out = make(order.length);
    order.forEach((from, to) => (out[to] = src[from]));
    return out;
  };
  return {
    ids: pick(candidates.ids, (n) => new Int32Array(n)),
    scores: pick(candidates.scores, (n) => new Float32Array(n)),
    llm: pick(llm, (n) => new Float32Array(n)),
    fused: pick(fused, (n) => new Float32Array(n)),
  };
}

/** The rec-tuned LLM as a candidate scorer. */
export class LlmReranker<T extends Tensor> {
  constructor(
    readonly model: LlamaForward<T>,
    readonly manifest: RecManifest,
  ) {}

  /** LLM logits [C] of `candidates` after `history`: one prefill of the prompt, one logits row read. */
  async candidateLogits(history: ArrayLike<number>, candidates: Int32Array): Promise<Float32Array> {
    const prompt = recPrompt(this.manifest, history, candidates); // [p]
    const { model } = this;
    model.reset();
    const logits = model.forward(prompt); // [1, vocab]
    const row = await model.ops.read(logits); // [vocab]
    model.ops.release(logits);
    return Float32Array.from(candidates, (id) => row[itemToken(this.manifest, id)]);
  }

  /** SASRec's candidates re-ranked by the fused score (`weight` defaults to the manifest's). */
  async rerank(
    history: ArrayLike<number>,
    candidates: Candidates,
    weight = this.manifest.fusionWeight,
  ): Promise<Reranked> {
    const llm = await this.candidateLogits(history, candidates.ids);
    return sortByFused(candidates, llm, fuseScores(candidates.scores, llm, weight));
  }
}

/**
 * Full scores [N + 1] for ranking-based evaluation: the re-ranked candidates first (in their fused
 * order), every other item after them in SASRec's order. `sasrec` [N + 1] is left untouched.
 */
export function pipelineFullScores(sasrec: Float32Array, reranked: Reranked): Float32Array {
  const out = Float32Array.from(sasrec, (v) => v);
  let top = -Infinity;
  for (const v of sasrec) if (v > top) top = v;
  // above every other item (history items included: the page never recommends them either)
  const count = reranked.ids.length;
  for (let rank = 0; rank < count; rank++) out[reranked.ids[rank]] = top + 1 + (count - rank);
  return out;
}
