/**
 * A trained model as the SASRec bundle the page's worker loads (docs/ARCHITECTURE.md, "Model
 * directory"): weights.safetensors (f32, PyTorch names, in `expectedSasrecTensors` order),
 * manifest.json (src/protocol/manifest.ts; checked with the same parser before it is handed out)
 * and items.json (the item key of ids 1..N). The bundle then goes through the normal import path
 * (src/store/import-bundle.ts) like files a user picked.
 */
import { MANIFEST_FORMAT_VERSION, parseSasrecManifest } from '../protocol/manifest.ts';
import { writeSafetensors } from '../protocol/safetensors.ts';
import { expectedSasrecTensors, type SasrecConfig } from '../sasrec/config.ts';
import { sha256Hex } from '../store/sha256.ts';
import type { ParamTensors } from './params.ts';

/** Where the model came from, for the manifest's provenance. */
export interface TrainedProvenance {
  /** data set name (the CSV's file name) */
  dataset: string;
  /** the run's settings (seed, epochs, …) */
  run: Record<string, unknown>;
  /** validation figures, best epoch */
  metrics: Record<string, unknown>;
}

const WEIGHTS = 'weights.safetensors';

/** Bytes of a file as a standalone ArrayBuffer. */
function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** Build the bundle's files (name → bytes) for `params` of `config`, items keyed by `itemKeys`. */
export async function exportSasrecBundle(
  id: string,
  config: SasrecConfig,
  params: ParamTensors,
  itemKeys: readonly string[], // [N]
  provenance: TrainedProvenance,
): Promise<Map<string, ArrayBuffer>> {
  if (itemKeys.length !== config.itemCount) {
    throw new RangeError(`items.json needs ${config.itemCount} keys (ids 1..N), got ${itemKeys.length}`);
  }
  const order = [...expectedSasrecTensors(config)];
  const weights = writeSafetensors(
    order.map(([name, shape]) => ({ name, shape, data: params.get(name) as Float32Array })),
  );
  const dataStart = 8 + Number(new DataView(weights.buffer).getBigUint64(0, true));
  let offset = dataStart;
  const tensors = order.map(([name, shape]) => {
    const nbytes = shape.reduce((a, b) => a * b, 1) * 4;
    const entry = { name, shape: [...shape], dtype: 'f32', file: WEIGHTS, offset, nbytes };
    offset += nbytes;
    return entry;
  });
  const items = new TextEncoder().encode(JSON.stringify(itemKeys));
  const manifest = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    id,
    arch: 'sasrec',
    config,
    tensors,
    files: {
      [WEIGHTS]: { sha256: await sha256Hex(weights), bytes: weights.byteLength },
      'items.json': { sha256: await sha256Hex(items), bytes: items.byteLength },
    },
    requiredFeatures: [],
    minStorageBufferBindingSize: Math.max(...tensors.map((t) => t.nbytes)),
    provenance: { ...provenance, createdBy: 'src/train (in-page trainer)' },
  };
  parseSasrecManifest(manifest); // our own output must pass the loader's schema
  return new Map([
    ['manifest.json', bufferOf(new TextEncoder().encode(JSON.stringify(manifest, null, 2)))],
    [WEIGHTS, bufferOf(weights)],
    ['items.json', bufferOf(items)],
  ]);
}
