import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxSasrecSession } from '../../src/sasrec/onnx-backend';
import { CpuOps } from '../../src/gpu/cpu-ops';
import { SasrecForward } from '../../src/sasrec/forward';
import { ModelFormatError, ModelIntegrityError, loadSasrecModel } from '../../src/sasrec/weights';
import { expectClose } from './expect-close';
import { diskFetchFile, goldenModelDirs, readGoldens } from './model-dir';

const repoRoot = resolve(import.meta.dirname, '../..');
const withOnnx = goldenModelDirs(repoRoot).filter(
  (dir) =>
    (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { onnx?: unknown }).onnx !== undefined,
);

describe.each(withOnnx)('PyTorch goldens on onnxruntime-web (wasm): %s', (dir) => {
  it('returns the golden top-k ids and scores (1e-4 relative)', async () => {
    const goldens = readGoldens(dir);
    const session = await OnnxSasrecSession.load(diskFetchFile(dir));
    try {
      for (const c of goldens.cases) {
        const label = `${basename(dir)} history [${c.history.join(',')}]`;
        const got = await session.rank(Int32Array.from(c.history), goldens.k, {
          excludeHistory: goldens.excludeHistory,
        });
        expect([...got.ids], label).toEqual(c.ids);
        expectClose(got.scores, c.scores, 1e-4, label);
        expect(got.incremental).toBe(false);
      }
    } finally {
      await session.dispose();
    }
  });
});

describe('ONNX full scores vs SasrecForward on CpuOps', () => {
  it('agree on every id (1e-4) for histories shorter and longer than the window', async () => {
    const dir = join(repoRoot, 'test/fixtures/sasrec-tiny');
    const onnx = await OnnxSasrecSession.load(diskFetchFile(dir));
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const ops = new CpuOps();
    const forward = new SasrecForward(ops, weights);
    try {
      for (const history of [[5], [1, 37, 2, 9], [4, 8, 15, 16, 23, 36, 30, 21, 12, 7]]) {
        const window = Int32Array.from(history.slice(-weights.config.maxLen));
        const want = await ops.read(forward.score(forward.prefill(window, 0))); // [N + 1]
        const got = await onnx.scores(Int32Array.from(history)); // [N + 1]
        expectClose(got, want, 1e-4, `scores of [${history}]`);
      }
    } finally {
      await onnx.dispose();
    }
  });
});

describe('OnnxSasrecSession.load', () => {
  const fixture = join(repoRoot, 'test/fixtures/sasrec-tiny');
  const readText = (name: string) => readFileSync(join(fixture, name), 'utf8');
  const withManifest = (manifest: object) => {
    const fetchFromDisk = diskFetchFile(fixture);
    return (name: string) =>
      name === 'manifest.json'
        ? Promise.resolve(new TextEncoder().encode(JSON.stringify(manifest)).buffer as ArrayBuffer)
        : fetchFromDisk(name);
  };

  it('rejects a manifest without an onnx entry', async () => {
    const manifest = JSON.parse(readText('manifest.json')) as Record<string, unknown>;
    delete manifest.onnx;
    await expect(OnnxSasrecSession.load(withManifest(manifest))).rejects.toThrow(ModelFormatError);
  });

  it('rejects an ONNX file whose checksum differs', async () => {
    const manifest = JSON.parse(readText('manifest.json')) as { files: Record<string, { sha256: string }> };
    manifest.files['model.onnx'].sha256 = '0'.repeat(64);
    await expect(OnnxSasrecSession.load(withManifest(manifest))).rejects.toThrow(ModelIntegrityError);
  });
});
