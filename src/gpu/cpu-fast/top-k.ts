/**
 * Fast top-k on the CPU, the same contract as `topKReference` (best first, ties → lower index,
 * NaN below every number, excluded ids skipped, fewer than k when fewer are eligible), by partial
 * selection: a k-slot binary heap whose root is the worst kept candidate, so almost every score
 * costs one comparison with the root. Exclusions are marks in a reusable byte mask, not a Set.
 */
import type { TopK } from '../ops.ts';
import { ranksBefore } from '../reference/top-k.ts';

/** Reusable scratch for `topKFast`; grows on demand, never shrinks. */
export class TopKScratch {
  excluded = new Uint8Array(0); // [≥ n] 1 = excluded id (all zero between calls)
  heap = new Int32Array(0); // [≥ k] ids; heap[0] is the worst kept

  /** Make sure the mask covers `n` ids and the heap holds `k` ids. */
  reserve(n: number, k: number): void {
    if (this.excluded.length < n) this.excluded = new Uint8Array(n);
    if (this.heap.length < k) this.heap = new Int32Array(k);
  }
}

/** True when id `a` ranks after id `b` (is worse): the heap order, worst at the root. */
function worse(scores: Float32Array, a: number, b: number): boolean {
  return ranksBefore(scores[b], b, scores[a], a);
}

/** Restore the heap property below slot `at` of heap [size]. */
function siftDown(scores: Float32Array, heap: Int32Array, size: number, at: number): void {
  const id = heap[at];
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && worse(scores, heap[child + 1], heap[child])) child++;
    if (!worse(scores, heap[child], id)) break;
    heap[at] = heap[child];
    at = child;
  }
  heap[at] = id;
}

/** Restore the heap property above slot `at`. */
function siftUp(scores: Float32Array, heap: Int32Array, at: number): void {
  const id = heap[at];
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(scores, id, heap[parent])) break;
    heap[at] = heap[parent];
    at = parent;
  }
  heap[at] = id;
}

/** Best `k` of `scores` [n] skipping the ids in `exclude` (ids outside 0..n-1 are ignored). */
export function topKFast(
  scores: Float32Array, // [n]
  k: number,
  exclude: Int32Array, // [e]
  scratch: TopKScratch,
): TopK {
  const n = scores.length;
  scratch.reserve(n, k);
  const { excluded, heap } = scratch; // [≥n], [≥k]
  for (const id of exclude) if (id >= 0 && id < n) excluded[id] = 1;
  let size = 0;
  for (let id = 0; id < n; id++) {
    if (excluded[id] === 1) continue;
    if (size < k) {
      heap[size] = id;
      siftUp(scores, heap, size++);
      continue;
    }
    // Ids arrive in increasing order, so a tie with the root loses: only a strictly better score
    // (or any number against a NaN root) enters.
    const worstScore = scores[heap[0]];
    const score = scores[id];
    if (score > worstScore || (worstScore !== worstScore && score === score)) {
      heap[0] = id;
      siftDown(scores, heap, size, 0);
    }
  }
  for (const id of exclude) if (id >= 0 && id < n) excluded[id] = 0;
  const ids = heap.slice(0, size).sort((a, b) => (ranksBefore(scores[a], a, scores[b], b) ? -1 : 1)); // [size]
  return { ids, scores: Float32Array.from(ids, (id) => scores[id]) };
}
