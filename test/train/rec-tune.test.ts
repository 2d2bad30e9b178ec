/**
 * Rec-tuning smoke test: a few steps of models/train/rec_tune.py on the committed ml-latest-small
 * SASRec and the real stories260K; its outputs feed our merge path (PEFT names and ranks, the base with
 * item-token rows, the tokenizer with item pieces), and the merged model reproduces the script's own
 * PyTorch logits for the item-token prompt.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelDataset } from '../../models/tools/model-data.ts';
import { findTorchPython, run } from '../../models/tools/python.ts';
import { toSasrecPairsText } from '../../src/data/export.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { mergeLora, readLoraAdapter } from '../../src/llm/lora.ts';
import { parseSafetensors } from '../../src/protocol/safetensors.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { STORIES_DIR, noStories, storiesFile } from '../llm/stories-files.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');
const ITEMS = 3650; // ml-latest-small-sasrec's catalog
const BASE_VOCAB = 512;

describe.skipIf(noStories || noTorch)('rec_tune.py (PyTorch, CPU)', { timeout: 300_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'localrec-rectune-'));
  beforeAll(async () => {
    // checkpoints/ is not committed: rebuild the model's sequence file from its data.json, as train:sasrec wrote it
    const sequences = join(out, 'sequences.txt');
    const dataset = await loadModelDataset(join(ROOT, 'models/ml-latest-small-sasrec'));
    writeFileSync(sequences, toSasrecPairsText(dataset.sequences));
    await run(
      findTorchPython() ?? 'python3',
      [
        join(ROOT, 'models/train/rec_tune.py'),
        ...['--sasrec', join(ROOT, 'models/ml-latest-small-sasrec'), '--sequences', sequences, '--out', out],
        ...['--base', join(STORIES_DIR, 'stories260K.bin'), '--tokenizer', join(STORIES_DIR, 'tok512.bin')],
        ...['--per-user', '1', '--epochs', '1', '--max-minutes', '0.05', '--candidates', '10', '--r', '4'],
      ],
      { quiet: true },
    );
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
    const pairs = readLoraAdapter(parseSafetensors(file('adapter.safetensors')), {
      r: 4,
      alpha: 16,
      ropeLayout: 'meta',
    });
    const { weights } = mergeLora(loadLlamaFile(file('base-items.bin')).weights, pairs, {
      r: 4,
      alpha: 16,
      ropeLayout: 'meta',
    });
    const goldens = JSON.parse(readFileSync(join(out, 'goldens.json'), 'utf8')) as {
      prompt: number[];
      lastLogits: number[];
    };
    const ops = new CpuOps();
    const logits = new LlamaForward(ops, weights, { capacity: 256 }).forward(Int32Array.from(goldens.prompt));
    const row = await ops.read(logits); // [vocab]
    let worst = 0;
    for (let i = 0; i < row.length; i++) worst = Math.max(worst, Math.abs(row[i] - goldens.lastLogits[i]));
    expect(row.length).toBe(BASE_VOCAB + ITEMS);
    expect(worst).toBeLessThan(1e-4);
  });
});
