import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/eval/random.ts';
import { parseSafetensors, writeSafetensors, type SafetensorsInput } from '../../src/protocol/safetensors.ts';
import {
  LoraAdapterError,
  UnknownLoraTargetError,
  loraConfigFromJson,
  mergeLora,
  readLoraAdapter,
} from '../../src/llm/lora.ts';
import { hfToPairRow } from '../../src/llm/rope-order.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { tinyLlamaGguf, tinyLlamaWeights } from './tiny-llama.ts';

const PREFIX = 'base_model.model.model.layers';
const weights = tinyLlamaWeights(9); // dim 8, hidden 12, 2 heads of 4, 1 kv head, 2 layers

/** Seeded A [r, in] / B [out, r] tensors of `module` in `layer`, PEFT-named. */
function pair(
  layer: number,
  part: 'self_attn' | 'mlp',
  module: string,
  out: number,
  inputs: number,
  seed: number,
): SafetensorsInput[] {
  const random = seededRandom(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => random() * 2 - 1);
  return [
    {
      name: `${PREFIX}.${layer}.${part}.${module}.lora_A.weight`,
      shape: [2, inputs],
      data: values(2 * inputs),
    },
    { name: `${PREFIX}.${layer}.${part}.${module}.lora_B.weight`, shape: [out, 2], data: values(out * 2) },
  ];
}

const ADAPTER = [...pair(0, 'self_attn', 'q_proj', 8, 8, 1), ...pair(1, 'mlp', 'down_proj', 8, 12, 2)];

/** Explicit W + scale · B · A with the triple loop written out; rowOf maps delta rows to B rows. */
function explicit(
  w: Float32Array,
  a: Float32Array,
  b: Float32Array,
  out: number,
  inputs: number,
  scale: number,
  rowOf = (o: number) => o,
) {
  const result = Float32Array.from(w);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inputs; i++) {
      let s = 0;
      for (let k = 0; k < 2; k++) s += b[rowOf(o) * 2 + k] * a[k * inputs + i];
      result[o * inputs + i] += scale * s;
    }
  return result;
}

describe('LoRA merge', () => {
  const file = parseSafetensors(writeSafetensors(ADAPTER));
  const config = { r: 2, alpha: 4 }; // scale 2

  it('meta layout: W + (alpha/r)·B·A for every target, other tensors untouched, inputs not mutated', () => {
    const before = Float32Array.from(weights.layers[0].wq);
    const { weights: merged, changes } = mergeLora(weights, readLoraAdapter(file, config), {
      ...config,
      ropeLayout: 'meta',
    });
    const want = explicit(before, ADAPTER[0].data, ADAPTER[1].data, 8, 8, 2);
    merged.layers[0].wq.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    const wantDown = explicit(weights.layers[1].w2, ADAPTER[2].data, ADAPTER[3].data, 8, 12, 2);
    merged.layers[1].w2.forEach((v, i) => expect(v).toBeCloseTo(wantDown[i], 6));
    expect(merged.layers[0].wk).toBe(weights.layers[0].wk);
    expect(merged.layers[1].wq).toBe(weights.layers[1].wq);
    expect(weights.layers[0].wq).toEqual(before);
    const change = changes.find((c) => c.name === 'blk.0.attn_q.weight')!.maxAbsChange;
    expect(change).toBeCloseTo(Math.max(...want.map((v, i) => Math.abs(v - before[i]))), 6);
    expect(changes.map((c) => c.name).sort()).toEqual(['blk.0.attn_q.weight', 'blk.1.ffn_down.weight']);
  });

  it('hf layout: q/k delta rows are permuted from rotate-half to adjacent pairs per head', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((r) => hfToPairRow(r, 4))).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    const { weights: merged } = mergeLora(weights, readLoraAdapter(file, config), config);
    const want = explicit(weights.layers[0].wq, ADAPTER[0].data, ADAPTER[1].data, 8, 8, 2, (o) =>
      hfToPairRow(o, 4),
    );
    merged.layers[0].wq.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    const wantDown = explicit(weights.layers[1].w2, ADAPTER[2].data, ADAPTER[3].data, 8, 12, 2); // not permuted
    merged.layers[1].w2.forEach((v, i) => expect(v).toBeCloseTo(wantDown[i], 6));
  });

  it('refuses unknown target modules, missing partners, wrong rank and wrong shapes by name', () => {
    const fused = pair(0, 'self_attn', 'qkv_proj', 16, 8, 3);
    expect(() => readLoraAdapter(parseSafetensors(writeSafetensors(fused)), config)).toThrow(
      UnknownLoraTargetError,
    );
    const embed = [
      { name: 'base_model.model.lm_head.lora_A.weight', shape: [2, 8], data: new Float32Array(16) },
    ];
    expect(() => readLoraAdapter(parseSafetensors(writeSafetensors(embed)), config)).toThrow(/lm_head/);
    expect(() => readLoraAdapter(parseSafetensors(writeSafetensors(ADAPTER.slice(0, 1))), config)).toThrow(
      /no lora_B/,
    );
    expect(() => readLoraAdapter(file, { r: 4, alpha: 4 })).toThrow(/rank r = 4/);
    const wide = pair(0, 'self_attn', 'k_proj', 8, 8, 4); // k is [kvDim 4, 8]
    expect(() =>
      mergeLora(weights, readLoraAdapter(parseSafetensors(writeSafetensors(wide)), config), config),
    ).toThrow(LoraAdapterError);
  });

  it('reads adapter_config.json and refuses unknown target_modules', () => {
    expect(loraConfigFromJson('{"r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"]}')).toEqual({
      r: 8,
      alpha: 16,
    });
    expect(() =>
      loraConfigFromJson('{"r": 8, "lora_alpha": 16, "target_modules": ["embed_tokens"]}'),
    ).toThrow(UnknownLoraTargetError);
    expect(() => loraConfigFromJson('{"lora_alpha": 16}')).toThrow(/r = undefined/);
  });

  it('npm run model:merge writes a GGUF whose weights are the merged ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'merge-lora-'));
    try {
      writeFileSync(join(dir, 'base.gguf'), tinyLlamaGguf(weights));
      writeFileSync(join(dir, 'adapter.safetensors'), writeSafetensors(ADAPTER));
      writeFileSync(
        join(dir, 'adapter_config.json'),
        JSON.stringify({ r: 2, lora_alpha: 4, target_modules: ['q_proj', 'down_proj'] }),
      );
      const root = resolve(import.meta.dirname, '../..');
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--import',
          './models/tools/node-hooks/register.mjs',
          'models/tools/merge-lora.ts',
          '--base',
          join(dir, 'base.gguf'),
          '--lora',
          join(dir, 'adapter.safetensors'),
          '--rope-layout',
          'meta',
          '--out',
          join(dir, 'merged.gguf'),
        ],
        { cwd: root, encoding: 'utf8' },
      );
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/blk\.0\.attn_q\.weight {2}max abs change/);
      const merged = loadGgufLlama(new Uint8Array(readFileSync(join(dir, 'merged.gguf'))));
      const want = explicit(weights.layers[0].wq, ADAPTER[0].data, ADAPTER[1].data, 8, 8, 2);
      merged.weights.layers[0].wq.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
