/**
 * The committed rec-tuned models (ml-latest-small, ML-1M; merged by our CLI from the PEFT adapter), each
 * against the PyTorch model it was trained as (rec_tune.py / rec_seq.py write goldens.json, LoRA merged in fp32):
 * the last-position logits of a fixed item-token prompt, every base and item token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { parseRecManifest } from '../../src/rec/item-tokens.ts';
import { LlmReranker } from '../../src/rec/pipeline.ts';

/** The committed model directory's goldens, manifest and last-position logits through a GGUF. */
function committed(id: string) {
  const DIR = join(import.meta.dirname, '../../models', id);
  const goldens = JSON.parse(readFileSync(join(DIR, 'goldens.json'), 'utf8')) as {
    prompt: number[];
    lastLogits: number[];
  };
  const manifest = parseRecManifest(readFileSync(join(DIR, 'manifest.json'), 'utf8'));
  /** Last-position logits [vocab] of the golden prompt through `scheme`'s GGUF on CpuOps. */
  async function lastLogits(scheme: 'f32' | 'q8_0'): Promise<Float32Array> {
    const file = manifest.files?.[scheme]?.file ?? `model-${scheme}.gguf`;
    const loaded = loadLlamaFile(new Uint8Array(readFileSync(join(DIR, file))));
    const ops = new CpuOps();
    const model = new LlamaForward(ops, loaded.weights, { capacity: 256 });
    const out = model.forward(Int32Array.from(goldens.prompt)); // [1, vocab]
    const row = await ops.read(out); // [vocab]
    ops.release(out);
    return row;
  }
  return { DIR, goldens, manifest, lastLogits };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.each(['ml-latest-small-llama-rec', 'ml-1m-llama-rec'])('rec-tuned stories260K (%s)', (id) => {
  const { DIR, goldens, manifest, lastLogits } = committed(id);
  it('has base + item tokens and the PyTorch logits within 1e-4 (F32 merge)', async () => {
    const row = await lastLogits('f32');
    expect(row.length).toBe(manifest.baseVocab + manifest.itemCount);
    expect(goldens.lastLogits.length).toBe(row.length);
    expect(maxAbsDiff(row, goldens.lastLogits)).toBeLessThan(1e-4);
  });

  it('scores the prompt candidates in one pass like the full logits row (Q8_0 close to PyTorch)', async () => {
    const loaded = loadLlamaFile(new Uint8Array(readFileSync(join(DIR, 'model-q8_0.gguf'))));
    const reranker = new LlmReranker(
      new LlamaForward(new CpuOps(), loaded.weights, { capacity: 256 }),
      manifest,
    );
    // the golden prompt is history 1..7 (+ candidates 20..69 for a history+candidates model; rec_tune.export)
    const candidates = Int32Array.from({ length: 50 }, (_, i) => 20 + i);
    const llm = await reranker.candidateLogits(
      Int32Array.from({ length: 7 }, (_, i) => i + 1),
      candidates,
    );
    const want = Array.from(candidates, (id) => goldens.lastLogits[manifest.baseVocab + id - 1]);
    const spread = Math.max(...want) - Math.min(...want);
    expect(maxAbsDiff(llm, want)).toBeLessThan(0.05 * spread);
  });
});
