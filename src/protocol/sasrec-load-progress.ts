/**
 * Progress figures of `sasrec.load` (src/protocol/sasrec-handler.ts), reported through the rpc's
 * progress response so the page can draw a bar per step: 'fetch' (bytes of the model files read,
 * out of what the manifest lists for them), 'upload' (bytes of weights handed to the backend — to
 * the GPU on WebGPU), 'compile' (WebGPU: the first ranking, which compiles the pipelines).
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import type { SasrecWeights } from '../sasrec/weights.ts';
import { parseManifest } from './manifest.ts';
import type { Progress } from './messages.ts';

/** The file `sasrec.load` reads besides the manifest's tensor files. */
const ITEMS = 'items.json';

/** What `sasrec.load` reads after manifest.json, as the manifest lists it: tensor files and items.json → bytes. */
export function filesToFetch(manifestBytes: ArrayBuffer): Map<string, number> {
  try {
    const manifest = parseManifest(new TextDecoder().decode(manifestBytes));
    const names = new Set([...manifest.tensors.map((t) => t.file), ITEMS]);
    return new Map([...names].filter((n) => n in manifest.files).map((n) => [n, manifest.files[n].bytes]));
  } catch {
    return new Map(); // the loader reports the manifest's real problem
  }
}

/**
 * Wraps a file reader so each file read reports 'fetch' progress: bytes read so far of the files
 * the manifest lists (a file it does not list is read but not counted).
 */
export function fetchWithProgress(
  read: (name: string) => Promise<ArrayBuffer>,
  report: (progress: Progress) => void,
): (name: string) => Promise<ArrayBuffer> {
  let done = 0;
  let listed = new Map<string, number>();
  return async (name) => {
    const bytes = await read(name);
    if (name === 'manifest.json') listed = filesToFetch(bytes);
    else if (listed.has(name)) done += bytes.byteLength;
    const total = [...listed.values()].reduce((sum, n) => sum + n, 0);
    report({ stage: 'fetch', message: `Reading the model files (${name})…`, done, total });
    return bytes;
  };
}

/** Bytes of every host tensor of `weights` (what the backend receives). */
export function weightBytes(weights: SasrecWeights): number {
  const arrays = [weights.itemEmb, weights.posEmb, weights.lastNormGamma, weights.lastNormBeta];
  for (const block of weights.blocks) arrays.push(...Object.values(block));
  return arrays.reduce((sum, a) => sum + a.byteLength, 0);
}

/**
 * Run `build` (which uploads weights through `ops.upload`, synchronously) and report 'upload'
 * progress after each tensor: bytes handed over so far out of `total`.
 */
export function uploadWithProgress<R>(
  ops: TensorOps<Tensor>,
  total: number,
  message: string,
  report: (progress: Progress) => void,
  build: () => R,
): R {
  const upload = ops.upload;
  const own = Object.hasOwn(ops, 'upload');
  let done = 0;
  report({ stage: 'upload', message, done, total });
  ops.upload = (data, shape, label) => {
    const tensor = upload.call(ops, data, shape, label);
    done += data.byteLength;
    report({ stage: 'upload', message, done, total });
    return tensor;
  };
  try {
    return build();
  } finally {
    if (own) ops.upload = upload;
    else delete (ops as { upload?: unknown }).upload; // the class's method again
  }
}
