/**
 * Load a SASRec model directory: manifest.json → weight files (size + SHA-256 checked) →
 * tensors by name, checked against the manifest and against the shapes the config implies →
 * host-side weights with each block's in_proj split into Wq / Wk / Wv.
 *
 * Directory access goes through `fetchFile`, so the same code runs in the browser (`fetch`) and in
 * Node (`fs.readFile`).
 */
import { ManifestError, parseSasrecManifest, type SasrecManifest } from '../protocol/manifest';
import { SafetensorsFormatError, parseSafetensors, type SafetensorsFile } from '../protocol/safetensors';
import { expectedSasrecTensors, type SasrecConfig } from './config';

/** Reads one file of the model directory by its name (e.g. "manifest.json"). */
export type FetchFile = (name: string) => Promise<ArrayBuffer>;

/** A weight file is truncated or its SHA-256 differs from the manifest: re-download or re-export it. */
export class ModelIntegrityError extends Error {
  override name = 'ModelIntegrityError';
}

/** The weights do not form the model the manifest describes (missing tensor, wrong shape, dtype…). */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/** One transformer block's parameters; Linear weights are `[out, in]` (y = x·Wᵀ + b). */
export interface SasrecBlockWeights {
  attnNormGamma: Float32Array; // [d]
  attnNormBeta: Float32Array; // [d]
  wq: Float32Array; // [d, d]
  bq: Float32Array; // [d]
  wk: Float32Array; // [d, d]
  bk: Float32Array; // [d]
  wv: Float32Array; // [d, d]
  bv: Float32Array; // [d]
  wo: Float32Array; // [d, d]
  bo: Float32Array; // [d]
  ffnNormGamma: Float32Array; // [d]
  ffnNormBeta: Float32Array; // [d]
  fc1W: Float32Array; // [d, d]
  fc1B: Float32Array; // [d]
  fc2W: Float32Array; // [d, d]
  fc2B: Float32Array; // [d]
}

/** All SASRec parameters on the host, ready to upload to a TensorOps backend. */
export interface SasrecWeights {
  config: SasrecConfig;
  itemEmb: Float32Array; // [itemCount + 1, d]; row 0 = padding
  posEmb: Float32Array; // [maxLen, d]
  blocks: SasrecBlockWeights[]; // [blocks]
  lastNormGamma: Float32Array; // [d]
  lastNormBeta: Float32Array; // [d]
}

/** A loaded model: its validated manifest and weights. */
export interface LoadedSasrec {
  manifest: SasrecManifest;
  weights: SasrecWeights;
}

/** Load and fully validate a SASRec model directory. */
export async function loadSasrecModel(fetchFile: FetchFile): Promise<LoadedSasrec> {
  const manifestText = new TextDecoder().decode(await fetchFile('manifest.json'));
  const manifest = parseSasrecManifest(manifestText);
  const neededFiles = [...new Set(manifest.tensors.map((t) => t.file))];
  const files = new Map<string, SafetensorsFile>();
  for (const name of neededFiles) {
    const bytes = await fetchFile(name);
    await verifyFileIntegrity(name, bytes, manifest.files[name]);
    files.set(name, parseWeightFile(name, bytes));
  }
  const tensors = readManifestTensors(manifest, files);
  return { manifest, weights: sasrecWeightsFromTensors(manifest.config, tensors) };
}

/** Check a model file's size and SHA-256 against its manifest entry; throws ModelIntegrityError. */
export async function verifyFileIntegrity(
  name: string,
  bytes: ArrayBuffer,
  expected: { sha256: string; bytes: number },
): Promise<void> {
  if (bytes.byteLength !== expected.bytes) {
    throw new ModelIntegrityError(
      `"${name}" is ${bytes.byteLength} bytes but the manifest says ${expected.bytes} (truncated or wrong file); download it again`,
    );
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)); // [32]
  const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== expected.sha256) {
    throw new ModelIntegrityError(
      `"${name}" has SHA-256 ${hex} but the manifest says ${expected.sha256}; the file is corrupt or belongs to another model`,
    );
  }
}

function parseWeightFile(name: string, bytes: ArrayBuffer): SafetensorsFile {
  try {
    return parseSafetensors(bytes);
  } catch (cause) {
    if (cause instanceof SafetensorsFormatError) {
      throw new ModelFormatError(`"${name}" is not a usable safetensors file: ${cause.message}`, { cause });
    }
    throw cause;
  }
}

/** Manifest entries ↔ safetensors headers must agree on dtype, shape, offset and size. */
function readManifestTensors(
  manifest: SasrecManifest,
  files: Map<string, SafetensorsFile>,
): Map<string, ShapedTensor> {
  const out = new Map<string, ShapedTensor>();
  for (const t of manifest.tensors) {
    const file = files.get(t.file) as SafetensorsFile;
    const entry = file.entries.get(t.name);
    const where = `tensor "${t.name}" in "${t.file}"`;
    if (!entry) throw new ModelFormatError(`${where} is listed in the manifest but missing from the file`);
    if (t.dtype !== entry.dtype.toLowerCase()) {
      throw new ModelFormatError(
        `${where}: manifest dtype ${t.dtype} but the file stores ${entry.dtype}; SASRec weights must be f32 or f16`,
      );
    }
    if (!sameShape(t.shape, entry.shape)) {
      throw new ModelFormatError(
        `${where}: manifest shape [${t.shape.join(', ')}] but the file has [${entry.shape.join(', ')}]`,
      );
    }
    if (t.offset !== entry.byteOffset || t.nbytes !== entry.byteLength) {
      throw new ModelFormatError(
        `${where}: manifest says bytes ${t.offset}+${t.nbytes}, the file header says ${entry.byteOffset}+${entry.byteLength}`,
      );
    }
    out.set(t.name, { shape: entry.shape, data: file.tensor(t.name) });
  }
  return out;
}

/** A named tensor's host data with its shape. */
export interface ShapedTensor {
  shape: readonly number[];
  data: Float32Array; // [product of shape]
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Check that every tensor the config implies is present with its shape, then assemble the weights
 * (splitting `in_proj_weight [3d, d]` into Wq, Wk, Wv and `in_proj_bias [3d]` likewise).
 */
export function sasrecWeightsFromTensors(
  config: SasrecConfig,
  tensors: ReadonlyMap<string, ShapedTensor>,
): SasrecWeights {
  const expected = expectedSasrecTensors(config);
  const missing = [...expected.keys()].filter((name) => !tensors.has(name));
  if (missing.length > 0) {
    throw new ModelFormatError(
      `the weights lack ${missing.length} tensor(s) the config needs: ${missing.join(', ')}`,
    );
  }
  for (const [name, shape] of expected) {
    const got = tensors.get(name) as ShapedTensor;
    if (!sameShape(got.shape, shape)) {
      throw new ModelFormatError(
        `tensor "${name}" has shape [${got.shape.join(', ')}] but the config needs [${shape.join(', ')}]`,
      );
    }
  }
  return sasrecWeightViews(config, (name) => (tensors.get(name) as ShapedTensor).data);
}

/** Re-exported so callers can catch every loader error from one module. */
export { ManifestError };

/**
 * The weights of `config` as named views of the tensors `get` returns (no copies): in_proj_weight
 * [3d, d] and in_proj_bias [3d] are split into Wq, Wk, Wv / bq, bk, bv sharing their memory. Used by
 * the loader (after its checks) and by the in-page trainer for parameters and gradients alike.
 */
export function sasrecWeightViews(config: SasrecConfig, get: (name: string) => Float32Array): SasrecWeights {
  const d = config.hiddenUnits;
  const blocks: SasrecBlockWeights[] = [];
  for (let i = 0; i < config.blocks; i++) {
    const inW = get(`attention_layers.${i}.in_proj_weight`); // [3d, d]
    const inB = get(`attention_layers.${i}.in_proj_bias`); // [3d]
    blocks.push({
      attnNormGamma: get(`attention_layernorms.${i}.weight`),
      attnNormBeta: get(`attention_layernorms.${i}.bias`),
      wq: inW.subarray(0, d * d),
      wk: inW.subarray(d * d, 2 * d * d),
      wv: inW.subarray(2 * d * d, 3 * d * d),
      bq: inB.subarray(0, d),
      bk: inB.subarray(d, 2 * d),
      bv: inB.subarray(2 * d, 3 * d),
      wo: get(`attention_layers.${i}.out_proj.weight`),
      bo: get(`attention_layers.${i}.out_proj.bias`),
      ffnNormGamma: get(`forward_layernorms.${i}.weight`),
      ffnNormBeta: get(`forward_layernorms.${i}.bias`),
      fc1W: get(`forward_layers.${i}.fc1.weight`),
      fc1B: get(`forward_layers.${i}.fc1.bias`),
      fc2W: get(`forward_layers.${i}.fc2.weight`),
      fc2B: get(`forward_layers.${i}.fc2.bias`),
    });
  }
  return {
    config,
    itemEmb: get('item_emb.weight'),
    posEmb: get('pos_emb.weight'),
    blocks,
    lastNormGamma: get('last_layernorm.weight'),
    lastNormBeta: get('last_layernorm.bias'),
  };
}
