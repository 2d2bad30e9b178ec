import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../../src/gpu/cpu-ops.ts';
import { loadOwnLanguageModel } from '../../../src/llm/backends/own.ts';
import { conceptKey } from '../../../src/rec/concepts.ts';
import {
  choiceMask,
  choiceTrie,
  chosenIndex,
  commandChoices,
  parseWithModel,
} from '../../../src/rec/chat/llm-parse.ts';
import { buildVocabulary } from '../../../src/rec/chat/vocabulary.ts';
import { noStories, storiesFile } from '../../llm/stories-files.ts';
import { TINY_CATALOG } from '../catalog-fixture.ts';
import { scriptedModel } from '../fake-language-model.ts';

const vocab = buildVocabulary(TINY_CATALOG);
/** Concepts per polarity as keys, only the non-empty lists. */
const lists = (intent: { concepts: Record<string, { kind: string; label: string }[]> }) =>
  Object.fromEntries(
    Object.entries(intent.concepts)
      .filter(([, l]) => l.length > 0)
      .map(([p, l]) => [p, l.map((c) => conceptKey({ kind: c.kind as 'genre', label: c.label }))]),
  );

describe('choice trie', () => {
  const trie = choiceTrie([[5, 6], [5, 7, 8], [9]]);
  const mask = choiceMask(trie, 2);

  it('admits exactly the sequences, then only EOS', () => {
    expect(Array.from(mask([]) ?? [])).toEqual([5, 9]);
    expect(Array.from(mask([5]) ?? [])).toEqual([6, 7]);
    expect(Array.from(mask([5, 6]) ?? [])).toEqual([2]);
    expect(Array.from(mask([5, 7]) ?? [])).toEqual([8]);
    expect(Array.from(mask([4]) ?? [])).toEqual([2]); // off the trie: end
    expect(chosenIndex(trie, [5, 7, 8, 2], 2)).toBe(1);
    expect(chosenIndex(trie, [5, 7], 2)).toBeUndefined();
  });

  it('offers every command over genres and decades (no tags), plus nothing', () => {
    const texts = commandChoices(vocab).map((c) => c.text);
    // tiny catalog: 6 genres + 3 decades, 4 commands
    expect(texts).toHaveLength(1 + 4 * 9);
    expect(texts).toContain('more [Comedy]');
    expect(texts).toContain('only [1990s]');
    expect(texts.some((t) => t.includes('space'))).toBe(false);
  });
});

describe('parseWithModel (hand-built models)', () => {
  it('leaves requests the rules understand to the rules (the model is not asked)', async () => {
    const model = scriptedModel(['more [Horror]']);
    const r = await parseWithModel(model, 'no horror', vocab);
    expect(r.source).toBe('rules');
    expect(lists(r.intent)).toEqual({ exclude: ['genre:horror'] });
    expect(model.prompts).toEqual([]);
  });

  it('lets the model pick a command when the rules understood nothing', async () => {
    const model = scriptedModel(['more [Comedy]~~~']);
    const r = await parseWithModel(model, 'I want to   laugh', vocab);
    expect(r).toMatchObject({ source: 'llm' });
    expect(lists(r.intent)).toEqual({ boost: ['genre:comedy'] });
    expect(model.prompts[0].endsWith('Request: I want to laugh\nCommand:')).toBe(true);
  });

  it('cannot name a concept outside the closed set: a model wanting "Zombies" is steered into the set', async () => {
    // after "more [" the mask offers only the first characters of genres/decades; the fake model
    // takes the lowest id when refused: "1" then "7" → "more [1970s]"
    const r = await parseWithModel(scriptedModel(['more [Zombies]~~~']), 'blorp', vocab);
    expect(r.source).toBe('llm');
    expect(lists(r.intent)).toEqual({ boost: ['decade:1970s'] });
  });

  it('keeps the rules result for "nothing" and for models that cannot be constrained', async () => {
    const nothing = await parseWithModel(scriptedModel(['nothing~~~~']), 'blorp', vocab);
    expect(nothing).toMatchObject({ source: 'rules', raw: expect.stringContaining('nothing') });
    expect(nothing.intent.ignored).toEqual(['blorp']);
    const free = scriptedModel(['more [Zombies]'], false);
    expect((await parseWithModel(free, 'blorp', vocab)).source).toBe('rules');
    expect(free.prompts).toEqual([]);
  });
});

describe.skipIf(noStories)('parseWithModel with stories260K (real model)', () => {
  it('always answers with one of the allowed commands', async () => {
    const model = await loadOwnLanguageModel(
      { model: storiesFile('stories260K.gguf') },
      { ops: new CpuOps() },
    );
    const allowed = commandChoices(vocab).map((c) => c.text);
    for (const request of ['I want to laugh', 'something for a rainy day', 'blorp']) {
      const r = await parseWithModel(model, request, vocab);
      expect(allowed, `${request} → ${r.raw}`).toContain(r.raw);
      if (r.source === 'llm') expect(Object.values(lists(r.intent)).flat()).toHaveLength(1);
    }
    await model.dispose();
  });
});
