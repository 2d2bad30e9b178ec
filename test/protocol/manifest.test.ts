import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest, parseSasrecManifest } from '../../src/protocol/manifest';

/** A small valid SASRec manifest; tests mutate copies of it. */
function validManifest(): Record<string, unknown> {
  return {
    formatVersion: 1,
    id: 'sasrec-tiny',
    arch: 'sasrec',
    config: {
      itemCount: 5,
      hiddenUnits: 4,
      blocks: 1,
      heads: 1,
      maxLen: 3,
      layerNormEps: 1e-8,
      positions: 'from_start',
    },
    tensors: [
      {
        name: 'item_emb.weight',
        shape: [6, 4],
        dtype: 'f32',
        file: 'weights.safetensors',
        offset: 64,
        nbytes: 96,
      },
    ],
    files: { 'weights.safetensors': { sha256: 'a'.repeat(64), bytes: 160 } },
    requiredFeatures: [],
    minStorageBufferBindingSize: 96,
    provenance: { dataset: 'random', run: 'test', createdBy: 'hand', metrics: { ndcg10: 0.5 } },
  };
}

describe('parseManifest', () => {
  it('accepts a valid SASRec manifest, from an object or JSON text', () => {
    const m = parseSasrecManifest(validManifest());
    expect(m.config.itemCount).toBe(5);
    expect(parseManifest(JSON.stringify(validManifest())).id).toBe('sasrec-tiny');
  });

  it('fills config defaults (eps 1e-8, from_start positions)', () => {
    const raw = validManifest();
    raw.config = { itemCount: 5, hiddenUnits: 4, blocks: 1, heads: 1, maxLen: 3 };
    const m = parseSasrecManifest(raw);
    expect(m.config.layerNormEps).toBe(1e-8);
    expect(m.config.positions).toBe('from_start');
  });

  it('accepts a llama manifest with a free-form config but parseSasrecManifest rejects it', () => {
    const raw = { ...validManifest(), arch: 'llama', config: { dim: 64 } };
    expect(parseManifest(raw).arch).toBe('llama');
    expect(() => parseSasrecManifest(raw)).toThrow(/expected "sasrec"/);
  });

  const broken: Array<[string, (m: Record<string, unknown>) => void, RegExp]> = [
    ['wrong version', (m) => (m.formatVersion = 2), /formatVersion/],
    ['unknown arch', (m) => (m.arch = 'bert'), /arch/],
    [
      'bad dtype',
      (m) => ((m.tensors as Array<Record<string, unknown>>)[0].dtype = 'bf16'),
      /tensors\.0\.dtype/,
    ],
    [
      'negative offset',
      (m) => ((m.tensors as Array<Record<string, unknown>>)[0].offset = -1),
      /tensors\.0\.offset/,
    ],
    ['heads not dividing d', (m) => ((m.config as Record<string, unknown>).heads = 3), /config\.heads/],
    ['missing provenance', (m) => delete m.provenance, /provenance/],
    [
      'bad sha',
      (m) => (m.files = { 'weights.safetensors': { sha256: 'XYZ', bytes: 160 } }),
      /files\.weights\.safetensors\.sha256/,
    ],
    [
      'unlisted file',
      (m) => ((m.tensors as Array<Record<string, unknown>>)[0].file = 'other.bin'),
      /not listed/,
    ],
    [
      'tensor past end of file',
      (m) => ((m.tensors as Array<Record<string, unknown>>)[0].nbytes = 97),
      /past the end/,
    ],
  ];
  for (const [label, mutate, message] of broken) {
    it(`rejects ${label} with a ManifestError naming the field`, () => {
      const raw = validManifest();
      mutate(raw);
      expect(() => parseManifest(raw)).toThrow(ManifestError);
      expect(() => parseManifest(raw)).toThrow(message);
    });
  }

  it('rejects text that is not JSON', () => {
    expect(() => parseManifest('{"formatVersion":')).toThrow(/not valid JSON/);
  });
});
