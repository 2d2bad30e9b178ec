/**
 * Test helpers: seeded random SASRec weights and in-memory model directories built from them.
 */
import { createHash } from 'node:crypto';
import { expectedSasrecTensors, type SasrecConfig } from '../../src/sasrec/config';
import { writeSafetensors, type SafetensorsDtype } from '../../src/protocol/safetensors';
import { sasrecWeightsFromTensors, type SasrecWeights, type ShapedTensor } from '../../src/sasrec/weights';
import { seededRandom } from '../../src/eval/random';

/** Seeded uniform floats in [0, 1) (the project's one PRNG). */
export { seededRandom };

/** A tiny config for tests; override any field. */
export function tinyConfig(overrides: Partial<SasrecConfig> = {}): SasrecConfig {
  return {
    itemCount: 23,
    hiddenUnits: 5,
    blocks: 2,
    heads: 1,
    maxLen: 7,
    layerNormEps: 1e-8,
    positions: 'from_start',
    ...overrides,
  };
}

/** Every tensor the config needs, filled with uniform values in [-1, 1) from `seed`. */
export function randomSasrecTensors(config: SasrecConfig, seed: number): Map<string, ShapedTensor> {
  const random = seededRandom(seed);
  const tensors = new Map<string, ShapedTensor>();
  for (const [name, shape] of expectedSasrecTensors(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1)); // [product of shape]
    for (let i = 0; i < data.length; i++) data[i] = random() * 2 - 1;
    tensors.set(name, { shape, data });
  }
  return tensors;
}

/** Random weights for `config`. */
export function randomSasrecWeights(config: SasrecConfig, seed: number): SasrecWeights {
  return sasrecWeightsFromTensors(config, randomSasrecTensors(config, seed));
}

/** manifest.json + weights.safetensors (stored as `dtype`) for these tensors; the manifest is returned for editing. */
export function buildModelFiles(
  config: SasrecConfig,
  tensors: ReadonlyMap<string, ShapedTensor>,
  dtype: SafetensorsDtype = 'F32',
) {
  const weights = writeSafetensors(
    [...tensors].map(([name, t]) => ({ name, shape: t.shape, data: t.data, dtype })),
  );
  const bytesPerValue = dtype === 'F32' ? 4 : 2;
  const headerEnd = 8 + Number(new DataView(weights.buffer).getBigUint64(0, true));
  let offset = headerEnd;
  const manifest = {
    formatVersion: 1,
    id: 'random-test',
    arch: 'sasrec',
    config,
    tensors: [...tensors].map(([name, t]) => {
      const entry = {
        name,
        shape: [...t.shape],
        dtype: dtype.toLowerCase(),
        file: 'weights.safetensors',
        offset,
        nbytes: t.data.length * bytesPerValue,
      };
      offset += entry.nbytes;
      return entry;
    }),
    files: { 'weights.safetensors': { sha256: sha256Hex(weights), bytes: weights.length } },
    requiredFeatures: [] as string[],
    minStorageBufferBindingSize: 0,
    provenance: { dataset: 'random', run: 'unit test', createdBy: 'test/sasrec/random-model.ts' },
  };
  return { manifest, weights };
}

/** Pack a manifest object and weight bytes as a directory for `memoryFetchFile`. */
export function directoryOf(manifest: object, weights: Uint8Array): Map<string, Uint8Array> {
  return new Map([
    ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))],
    ['weights.safetensors', weights],
  ]);
}

/** SHA-256 of bytes as lower-case hex (node:crypto, independent of the loader's WebCrypto path). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
