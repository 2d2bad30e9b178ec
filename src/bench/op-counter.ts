/**
 * Counts the TensorOps calls a request makes. On GpuOps nearly every op is one or more kernel
 * dispatches, so ops per request × per-dispatch cost explains where WGSL time goes.
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';

/** Ops that record work (allocation-free bookkeeping like `release` is not counted). */
const COUNTED = new Set([
  'upload',
  'zeros',
  'embed',
  'linear',
  'layerNorm',
  'add',
  'writeRows',
  'sliceRows',
  'attention',
  'topK',
  'read',
]);

/** A counter to reset before a request and read after it. */
export interface OpCounter {
  reset(): void;
  read(): number;
}

/** `ops` behind a Proxy that counts calls of the COUNTED methods; everything else passes through. */
export function countingOps<T extends Tensor>(ops: TensorOps<T>): { ops: TensorOps<T>; counter: OpCounter } {
  let count = 0;
  const proxy = new Proxy(ops, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof key !== 'string' || !COUNTED.has(key)) return method.bind(target);
      return (...args: unknown[]) => {
        count++;
        return method.apply(target, args);
      };
    },
  });
  return { ops: proxy, counter: { reset: () => (count = 0), read: () => count } };
}
