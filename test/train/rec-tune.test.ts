/**
 * Rec-tuning smoke test: a few steps of models/train/rec_tune.py on the committed ml-latest-small
 * SASRec and the real stories260K; its outputs feed our merge path (PEFT names and ranks, the base with
 * item-token rows, the tokenizer with item pieces), and the merged model reproduces the script's own
 * PyTorch logits for the item-token prompt.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findTorchPython } from '../../models/tools/python.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { readLoraAdapter } from '../../src/llm/lora.ts';
import { parseSafetensors } from '../../src/protocol/safetensors.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { noStories, storiesFile } from '../llm/stories-files.ts';
import { mergedGoldenError, runRecTrainer } from './rec-run.ts';

const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');
const ITEMS = 3650; // ml-latest-small-sasrec's catalog
const BASE_VOCAB = 512;

describe.skipIf(noStories || noTorch)('rec_tune.py (PyTorch, CPU)', { timeout: 300_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'localrec-rectune-'));
  beforeAll(async () => {
    await runRecTrainer('rec_tune.py', out, [
      ...['--per-user', '1', '--epochs', '1', '--max-minutes', '0.05', '--candidates', '10', '--r', '4'],
    ]);
  }, 300_000);
  const file = (name: string) => new Uint8Array(readFileSync(join(out, name)));

  it('writes a PEFT adapter (7 modules × 5 layers, rank 4) and a rec manifest with frames and w', () => {
    const pairs = readLoraAdapter(parseSafetensors(file('adapter.safetensors')), { r: 4, alpha: 16 });
    expect(pairs.length).toBe(35);
    const rec = JSON.parse(readFileSync(join(out, 'rec.json'), 'utf8'));
    expect(rec).toMatchObject({ baseVocab: BASE_VOCAB, itemCount: ITEMS, candidates: 10, lora: { r: 4 } });
    // "next:" in tok512 (our tokenizer agrees: see docs/PROMPTS.md)
    expect(rec.frames['next:']).toEqual([404, 444, 413, 467]);
  });

  it('appends one embedding row and one tokenizer piece per item to the base', () => {
    const base = loadLlamaFile(storiesFile('stories260K.bin')).weights;
    const extended = loadLlamaFile(file('base-items.bin')).weights;
    expect(extended.config.vocabSize).toBe(BASE_VOCAB + ITEMS);
    const dim = base.config.dim;
    expect(extended.tokenEmbedding.slice(0, BASE_VOCAB * dim)).toEqual(base.tokenEmbedding);
    expect(extended.layers[4].w2).toEqual(base.layers[4].w2);
    const vocab = readLlama2cTokenizer(file('tokenizer.bin'), BASE_VOCAB + ITEMS);
    expect(vocab.pieces[BASE_VOCAB]).toBe('<i1>');
    expect(vocab.pieces[BASE_VOCAB + ITEMS - 1]).toBe(`<i${ITEMS}>`);
  });

  it('merged with our LoRA merge, reproduces its PyTorch logits within 1e-4', async () => {
    const { vocab, worst } = await mergedGoldenError(out, 4, 16);
    expect(vocab).toBe(BASE_VOCAB + ITEMS);
    expect(worst).toBeLessThan(1e-4);
  });
});
