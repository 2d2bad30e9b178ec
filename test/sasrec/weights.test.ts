import { describe, expect, it } from 'vitest';
import { ManifestError } from '../../src/protocol/manifest';
import { f16ToF32, f32ToF16 } from '../../src/protocol/safetensors';
import { ModelFormatError, ModelIntegrityError, loadSasrecModel } from '../../src/sasrec/weights';
import { memoryFetchFile } from './model-dir';
import { buildModelFiles, directoryOf, randomSasrecTensors, sha256Hex, tinyConfig } from './random-model';

const config = tinyConfig({ hiddenUnits: 4, blocks: 1, itemCount: 9, maxLen: 5 });

/** A valid directory built from (possibly edited) tensors; the manifest is described from them. */
function directory(edit?: (tensors: ReturnType<typeof randomSasrecTensors>) => void) {
  const tensors = randomSasrecTensors(config, 17);
  edit?.(tensors);
  return buildModelFiles(config, tensors);
}

describe('loadSasrecModel', () => {
  it('loads a valid directory and splits in_proj into Wq, Wk, Wv and their biases', async () => {
    const tensors = randomSasrecTensors(config, 17);
    const { manifest, weights } = buildModelFiles(config, tensors);
    const loaded = await loadSasrecModel(memoryFetchFile(directoryOf(manifest, weights)));
    expect(loaded.manifest.id).toBe('random-test');
    const inProj = tensors.get('attention_layers.0.in_proj_weight')!.data; // [12, 4]
    const inBias = tensors.get('attention_layers.0.in_proj_bias')!.data; // [12]
    const block = loaded.weights.blocks[0];
    expect(block.wq).toEqual(inProj.slice(0, 16));
    expect(block.wk).toEqual(inProj.slice(16, 32));
    expect(block.wv).toEqual(inProj.slice(32, 48));
    expect([block.bq[0], block.bk[0], block.bv[3]]).toEqual([inBias[0], inBias[4], inBias[11]]);
    expect(loaded.weights.itemEmb).toEqual(tensors.get('item_emb.weight')!.data);
    expect(loaded.weights.lastNormBeta).toEqual(tensors.get('last_layernorm.bias')!.data);
  });

  it('loads f16 weights as their half-precision values', async () => {
    const tensors = randomSasrecTensors(config, 17);
    const { manifest, weights } = buildModelFiles(config, tensors, 'F16');
    const loaded = await loadSasrecModel(memoryFetchFile(directoryOf(manifest, weights)));
    const want = f16ToF32(f32ToF16(tensors.get('pos_emb.weight')!.data)); // [5, 4]
    expect(loaded.weights.posEmb).toEqual(want);
    expect(loaded.weights.posEmb).not.toEqual(tensors.get('pos_emb.weight')!.data);
  });

  it('rejects a file whose SHA-256 differs (one flipped byte)', async () => {
    const { manifest, weights } = directory();
    const corrupt = weights.slice();
    corrupt[corrupt.length - 1] ^= 1;
    await expect(loadSasrecModel(memoryFetchFile(directoryOf(manifest, corrupt)))).rejects.toThrow(
      ModelIntegrityError,
    );
  });

  it('rejects a truncated file before hashing it', async () => {
    const { manifest, weights } = directory();
    const promise = loadSasrecModel(
      memoryFetchFile(directoryOf(manifest, weights.subarray(0, weights.length - 4))),
    );
    await expect(promise).rejects.toThrow(/truncated/);
  });

  it('rejects a missing tensor', async () => {
    const { manifest, weights } = directory((t) => t.delete('forward_layers.0.fc2.bias'));
    await expect(loadSasrecModel(memoryFetchFile(directoryOf(manifest, weights)))).rejects.toThrow(
      /lack 1 tensor.*fc2\.bias/,
    );
  });

  it('rejects a tensor whose shape does not fit the config', async () => {
    const { manifest, weights } = directory((t) =>
      t.set('pos_emb.weight', { shape: [6, 4], data: new Float32Array(24) }),
    );
    const promise = loadSasrecModel(memoryFetchFile(directoryOf(manifest, weights)));
    await expect(promise).rejects.toThrow(ModelFormatError);
    await expect(loadSasrecModel(memoryFetchFile(directoryOf(manifest, weights)))).rejects.toThrow(
      /pos_emb.*\[6, 4\].*\[5, 4\]/,
    );
  });

  it('rejects a manifest that disagrees with the file header (shape, offset, missing entry)', async () => {
    const edits: Array<[(m: ReturnType<typeof directory>['manifest']) => void, RegExp]> = [
      [(m) => (m.tensors[1].shape = [4, 5]), /manifest shape/],
      [(m) => (m.tensors[1].offset += 4), /header says/],
      [(m) => (m.tensors[0].name = 'extra.weight'), /missing from the file/],
      [(m) => (m.tensors[0].dtype = 'f16'), /dtype/],
    ];
    for (const [edit, message] of edits) {
      const { manifest, weights } = directory();
      edit(manifest);
      await expect(loadSasrecModel(memoryFetchFile(directoryOf(manifest, weights)))).rejects.toThrow(message);
    }
  });

  it('reports a broken safetensors file with a correct checksum as ModelFormatError', async () => {
    const { manifest, weights } = directory();
    const broken = weights.slice();
    broken[8] = 0x5b; // '[' instead of '{': header JSON is no longer an object
    broken[9] = 0x5d;
    manifest.files['weights.safetensors'].sha256 = sha256Hex(broken);
    await expect(loadSasrecModel(memoryFetchFile(directoryOf(manifest, broken)))).rejects.toThrow(
      ModelFormatError,
    );
  });

  it('rejects an invalid manifest with ManifestError', async () => {
    const { manifest, weights } = directory();
    const bad = { ...manifest, config: { ...manifest.config, heads: 3 } };
    await expect(loadSasrecModel(memoryFetchFile(directoryOf(bad, weights)))).rejects.toThrow(ManifestError);
  });
});
