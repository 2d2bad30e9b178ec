/**
 * The committed page interest model (models/ml-latest-small-llama-interest, `npm run interest:package`)
 * against its independent implementation: our F32 GGUF (LoRA merged by our CLI) on CpuOps reproduces
 * PyTorch's P(yes) (models/train/rec_interest_page.py, goldens.json) within 1e-4 on its held-out test
 * samples; the Q8_0 file keeps the AUC within 0.01.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { interest, rocAuc } from '../../src/rec/interest.ts';
import { parseInterestPageManifest } from '../../src/rec/interest-protocol.ts';

const DIR = fileURLToPath(new URL('../../models/ml-latest-small-llama-interest/', import.meta.url));
const manifest = parseInterestPageManifest(JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')));
const goldens = JSON.parse(readFileSync(join(DIR, 'goldens.json'), 'utf8')) as {
  samples: { history: [number, number][]; target: number }[];
  labels: number[];
  pYes: number[];
  auc: number;
};
/** samples scored per scheme (the whole set takes minutes on CpuOps) */
const COUNT = 300;

async function pYes(scheme: 'f32' | 'q8_0'): Promise<number[]> {
  const gguf = new Uint8Array(readFileSync(join(DIR, manifest.files[scheme].file)));
  const forward = new LlamaForward(new CpuOps(), loadLlamaFile(gguf).weights, { capacity: 128 });
  const out: number[] = [];
  for (const s of goldens.samples.slice(0, COUNT)) {
    out.push(
      await interest(
        forward,
        manifest,
        s.history.map(([item, rating]) => ({ item, rating })),
        s.target,
      ),
    );
  }
  return out;
}

describe('the page interest model', () => {
  it('F32: our runtime equals PyTorch within 1e-4 on its held-out samples; Q8_0 keeps the AUC', async () => {
    expect(goldens.samples.length).toBeGreaterThanOrEqual(COUNT);
    const f32 = await pYes('f32');
    const worst = Math.max(...f32.map((p, i) => Math.abs(p - goldens.pYes[i])));
    expect(worst).toBeLessThan(1e-4);
    const labels = goldens.labels.slice(0, COUNT);
    const q8 = await pYes('q8_0');
    expect(Math.abs(rocAuc(q8, labels) - rocAuc(f32, labels))).toBeLessThan(0.01);
  }, 300_000);
});
