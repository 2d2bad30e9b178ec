import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gguf } from '@huggingface/gguf';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import type { LlamaConfig } from '../../src/llm/config.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { parseGguf } from '../../src/llm/load/gguf.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { ggmlTypeName } from '../../src/llm/load/gguf-types.ts';
import { llamaTensors, quantizeModelFile } from '../../src/llm/quantize-model.ts';
import { maxAbsDifference } from '../../src/llm/quant.ts';
import { dequantizeMatrix } from '../../src/gpu/reference/matvec_q.ts';
import type { LlamaWeights, WeightMatrix } from '../../src/llm/weights.ts';
import { tinyLlama2c, tinyLlamaGguf, tinyLlamaWeights } from './tiny-llama.ts';

/** Block-compatible tiny shape: dim 64, hidden 96 (whole 32-blocks), GQA 4/2, separate output head. */
const CONFIG: LlamaConfig = {
  dim: 64,
  hiddenDim: 96,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  vocabSize: 40,
  contextLength: 32,
  ropeTheta: 10000,
  normEps: 1e-5,
  sharedClassifier: false,
};

async function logits(weights: LlamaWeights<WeightMatrix>, ids: Int32Array): Promise<Float32Array> {
  const ops = new CpuOps();
  return ops.read(new LlamaForward(ops, weights, { capacity: 16 }).forward(ids, true)); // [n, vocab]
}

describe('quantizeModelFile', () => {
  const weights = tinyLlamaWeights(5, CONFIG);
  const input = tinyLlamaGguf(weights);

  for (const scheme of ['q8_0', 'q4_0'] as const) {
    it(`${scheme}: types follow the plan, reported errors are the real ones, metadata types are kept`, () => {
      const { bytes, reports } = quantizeModelFile(input, { scheme });
      const file = parseGguf(bytes);
      const matrix = scheme === 'q8_0' ? 'Q8_0' : 'Q4_0';
      for (const r of reports) {
        const want = r.name.endsWith('norm.weight') ? 'F32' : r.name.startsWith('blk.') ? matrix : 'Q8_0';
        expect(ggmlTypeName(file.tensors.get(r.name)!.typeId), r.name).toBe(want);
      }
      expect(file.metadataTypes.get('llama.rope.freq_base')).toBe(6); // f32, though 10000 is an integer
      expect(file.metadata.get('general.file_type')).toBe(scheme === 'q8_0' ? 7 : 2);
      const loaded = loadGgufLlama(bytes);
      const back = new Map(llamaTensors(loaded.weights).map((t) => [t.name, t.values]));
      for (const t of llamaTensors(weights)) {
        const report = reports.find((r) => r.name === t.name)!;
        expect(maxAbsDifference(t.values, back.get(t.name)!), t.name).toBe(report.maxAbsError);
      }
      const worst = Math.max(...reports.map((r) => r.maxAbsError));
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThan(scheme === 'q8_0' ? 1 / 254 + 1e-3 : 0.1255 + 1e-3); // weights in [-1, 1)
    });
  }

  it('keepQuantized loads the same values as blocks; logits agree with the dequantised load', async () => {
    const { bytes } = quantizeModelFile(input, { scheme: 'q4_0' });
    const blocks = loadGgufLlama(bytes, { keepQuantized: true });
    const dense = loadGgufLlama(bytes);
    const wq = blocks.weights.layers[0].wq;
    expect(wq instanceof Float32Array).toBe(false);
    if (!(wq instanceof Float32Array))
      expect(Array.from(dequantizeMatrix(wq))).toEqual(Array.from(dense.weights.layers[0].wq));
    const ids = Int32Array.of(1, 7, 3, 39);
    const [a, b] = [await logits(blocks.weights, ids), await logits(dense.weights, ids)];
    expect(maxAbsDifference(a, b)).toBeLessThan(1e-5);
  });

  it('a llama2.c .bin input gets llama metadata; tied classifier and 12-column matrices stay F32', () => {
    const tiny = tinyLlamaWeights(6); // dim 8, hidden 12: no whole 32-blocks
    const { bytes, reports } = quantizeModelFile(tinyLlama2c(tiny), { scheme: 'q8_0' });
    expect(reports.every((r) => r.type === 'F32')).toBe(true);
    expect(reports.find((r) => r.name === 'blk.0.attn_q.weight')!.note).toMatch(/not whole Q8_0 blocks/);
    const loaded = loadGgufLlama(bytes);
    expect(loaded.weights.config).toEqual({ ...tiny.config, normEps: Math.fround(tiny.config.normEps) }); // f32 on disk
    expect(loaded.weights.classifier).toBeNull();
  });

  it('@huggingface/gguf reads a quantized model file', async () => {
    const { bytes } = quantizeModelFile(input, { scheme: 'q4_0' });
    const dir = mkdtempSync(join(tmpdir(), 'quant-model-'));
    try {
      writeFileSync(join(dir, 'm.gguf'), bytes);
      const parsed = await gguf(join(dir, 'm.gguf'), { allowLocalFile: true });
      const metadata = parsed.metadata as Record<string, unknown>;
      expect(metadata['llama.attention.head_count_kv']).toBe(2);
      const q = parsed.tensorInfos.find((t) => t.name === 'blk.1.ffn_down.weight')!;
      expect([q.dtype, q.shape.map(Number)]).toEqual([2, [96, 64]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadLlamaFile keepQuantized', () => {
  it('passes the option to the GGUF loader; a llama2.c file loads as f32 either way', () => {
    const { bytes } = quantizeModelFile(tinyLlamaGguf(tinyLlamaWeights(5, CONFIG)), { scheme: 'q8_0' });
    expect(loadLlamaFile(bytes, { keepQuantized: true }).weights.layers[0].wq instanceof Float32Array).toBe(
      false,
    );
    expect(loadLlamaFile(bytes).weights.layers[0].wq instanceof Float32Array).toBe(true);
    expect(
      loadLlamaFile(tinyLlama2c(tinyLlamaWeights(6)), { keepQuantized: true }).weights.layers[0].wq,
    ).toBeInstanceOf(Float32Array);
  });
});
