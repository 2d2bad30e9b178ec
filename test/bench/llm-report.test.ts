import { describe, expect, it } from 'vitest';
import {
  decodeWeightBytes,
  llmBenchMarkdown,
  summarizeEngine,
  type LlmBenchReport,
} from '../../src/bench/llm-report.ts';
import { benchPrompts, llmRequestFromQuery, LlmBenchQueryError } from '../../src/bench/llm-messages.ts';
import { TokenKind } from '../../src/llm/load/tokenizer-files.ts';
import { Tokenizer } from '../../src/llm/tokenizer.ts';
import { tinyLlamaWeights } from '../llm/tiny-llama.ts';

describe('bench:llm figures', () => {
  it('counts the weight bytes one decode step reads, quantized matrices as their blocks', () => {
    // tiny: dim 8, hidden 12, 2 layers, kvDim 4, vocab 10
    // per layer: wq+wo 2·64 + wk+wv 2·32 + w1,w2,w3 3·96 + 2 norms 16 = 496; × 2 layers = 992
    // classifier 80 + one embedding row 8 + final norm 8 = 96 → 1088 floats
    const w = tinyLlamaWeights(1);
    expect(decodeWeightBytes(w)).toBe(4 * 1088);
    // layer 0's wq (64 floats) swapped for 8 Q4_0 blocks of 18 bytes: 4·1088 − 4·64 + 144
    const wq = { type: 'Q4_0' as const, rows: 8, cols: 32, bytes: new Uint8Array(8 * 18) };
    const mixed = { ...w, layers: [{ ...w.layers[0], wq }, w.layers[1]] };
    expect(decodeWeightBytes(mixed)).toBe(4 * 1088 - 4 * 64 + 144);
  });

  it('turns timings into median rates', () => {
    const s = summarizeEngine({
      engine: 'x',
      runs: [
        { promptTokens: 10, ttftMs: 20, prefillMs: 20, decodeTokens: 5, decodeMs: 10 },
        { promptTokens: 10, ttftMs: 40, prefillMs: 40, decodeTokens: 5, decodeMs: 50 },
        { promptTokens: 10, ttftMs: 30, prefillMs: 25, decodeTokens: 5, decodeMs: 20 },
      ],
    });
    expect(s).toEqual({
      engine: 'x',
      runs: 3,
      promptTokens: 10,
      prefillTokPerS: 400,
      decodeTokPerS: 250,
      ttftMs: 30,
    });
  });

  it('writes ratios to wllama and the copy-bandwidth fraction', () => {
    const run = (prefillMs: number, decodeMs: number) => ({
      promptTokens: 100,
      ttftMs: prefillMs,
      prefillMs,
      decodeTokens: 100,
      decodeMs,
    });
    const report: LlmBenchReport = {
      model: 'm.gguf',
      fileBytes: 2e6,
      adapter: 'test adapter',
      userAgent: 'ua',
      engines: [
        { engine: 'ours · WebGPU (test)', runs: [run(200, 1000)] },
        { engine: 'wllama 3.8.1 · wasm, 1 thread', runs: [run(100, 500)] },
      ],
      copyBytesPerS: 1e9,
      decodeWeightBytes: 1e6,
    };
    const md = llmBenchMarkdown(report, { command: 'c', date: 'd', load: 'l' });
    // ours: 500 tok/s prefill, 100 tok/s decode, TTFT 200 ms; wllama: 1000, 200, 100
    expect(md).toContain('| ours · WebGPU (test) | 100 | 500.0 | 100.0 | 200.00 | 0.50× | 0.50× | 2.00× |');
    // 1 MB × 100 tok/s = 0.1 GB/s = 10 % of 1 GB/s
    expect(md).toContain('0.100 GB/s = 10.00 % of the copy bandwidth');
  });
});

describe('bench:llm request and prompts', () => {
  it('reads the query with defaults and refuses bad numbers', () => {
    expect(llmRequestFromQuery(new URLSearchParams('runs=3'))).toEqual({
      modelUrl: 'llm/stories260K.gguf',
      promptTokens: 128,
      decodeTokens: 128,
      warmup: 1,
      runs: 3,
    });
    expect(() => llmRequestFromQuery(new URLSearchParams('decode=0'))).toThrow(LlmBenchQueryError);
  });

  it('reads the greedy cross-check query and refuses an unknown check or no models', () => {
    expect(llmRequestFromQuery(new URLSearchParams('check=greedy&models=a.gguf,b.gguf&tokens=64'))).toEqual({
      kind: 'greedy',
      modelUrls: ['llm/a.gguf', 'llm/b.gguf'],
      tokens: 64,
    });
    expect(llmRequestFromQuery(new URLSearchParams('check=greedy&models=a.gguf'))).toMatchObject({
      tokens: 100,
    });
    for (const bad of ['check=greedy', 'check=timing&models=a.gguf', 'check=greedy&models=a.gguf&tokens=0'])
      expect(() => llmRequestFromQuery(new URLSearchParams(bad)), bad).toThrow(LlmBenchQueryError);
  });

  it('builds prompts of at most the asked length, each with a different opening', () => {
    const pieces = [
      '<unk>',
      '<s>',
      '</s>',
      ...' abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,0123456789',
    ];
    const tokenizer = new Tokenizer({
      pieces,
      scores: new Float32Array(pieces.length),
      kinds: Uint8Array.from(pieces, (_, id) =>
        id === 0 ? TokenKind.unknown : id < 3 ? TokenKind.control : TokenKind.normal,
      ),
      bos: 1,
      eos: 2,
      unk: 0,
    });
    const prompts = benchPrompts(tokenizer, 60, 14);
    expect(new Set(prompts.map((p) => p.split(' ').slice(0, 2).join(' '))).size).toBe(14);
    for (const p of prompts) {
      const n = tokenizer.encode(p).length;
      expect(n).toBeLessThanOrEqual(60);
      expect(n).toBeGreaterThan(45);
    }
  });
});
