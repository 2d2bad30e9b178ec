/**
 * A Hugging Face LLaMA model directory on disk (config.json, *.safetensors shards, tokenizer.json,
 * tokenizer_config.json) → our weights + HfTokenizer, for the Node CLIs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HfTokenizer } from '../../src/llm/hf-tokenizer.ts';
import { HfModelError } from '../../src/llm/load/errors.ts';
import { loadHfLlama } from '../../src/llm/load/hf-llama.ts';
import type { LlamaWeights } from '../../src/llm/weights.ts';
import { parseSafetensors } from '../../src/protocol/safetensors.ts';

/** What a model directory holds, loaded. */
export interface HfModelDir {
  weights: LlamaWeights;
  tokenizer: HfTokenizer;
  description: string;
}

/** Loads `dir`; HfModelError names a missing file. */
export function loadHfModelDir(dir: string): HfModelDir {
  const files = readdirSync(dir);
  const text = (name: string) => {
    if (!files.includes(name))
      throw new HfModelError(`${dir} has no ${name}; expected a Hugging Face model folder`);
    return readFileSync(join(dir, name), 'utf8');
  };
  const shardNames = files.filter((f) => f.endsWith('.safetensors')).sort();
  if (shardNames.length === 0) throw new HfModelError(`${dir} has no *.safetensors weights`);
  const shards = shardNames.map((f) => parseSafetensors(new Uint8Array(readFileSync(join(dir, f)))));
  const weights = loadHfLlama(text('config.json'), shards);
  const tokenizer = new HfTokenizer(text('tokenizer.json'), text('tokenizer_config.json'));
  const dtypes = new Set(shards.flatMap((s) => [...s.entries.values()].map((e) => e.dtype)));
  return {
    weights,
    tokenizer,
    description: `HF safetensors (llama, ${[...dtypes].join('/')}, ${shards.length} shard(s))`,
  };
}
