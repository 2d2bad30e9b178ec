import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../src/data/types.ts';
import { catalogVocabulary, checkExplanation, readableFactTitles } from '../../src/rec/explain-check.ts';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { displayText, explanationPrompt, llmExplanation } from '../../src/rec/explain-llm.ts';
import { checkReadability, englishWords } from '../../src/rec/explain-readable.ts';
import { templateExplanation } from '../../src/rec/explain-text.ts';
import { scriptedModel } from './fake-language-model.ts';

/** Catalog titles as MovieLens spells them: the article moved to the end. */
const CATALOG: CatalogItem[] = [
  { id: 1, key: 'a', title: 'Rock, The', year: 1996, genres: ['Action'], tags: [] },
  { id: 2, key: 'b', title: 'Misérables, Les', year: 1995, genres: ['Drama'], tags: [] },
  { id: 3, key: 'c', title: 'Matrix, The', year: 1999, genres: ['Action', 'Sci-Fi'], tags: [] },
  { id: 4, key: 'd', title: 'Heat', year: 1995, genres: ['Action'], tags: [] },
];
const vocab = catalogVocabulary(CATALOG);
/** Heat recommended because of The Rock and Les Misérables; shares Action with The Rock. */
const facts: ExplanationFacts = {
  itemId: 4,
  title: 'Heat',
  drivers: [
    { itemId: 1, title: 'Rock, The', index: 0, drop: 0.9, attention: 0 },
    { itemId: 2, title: 'Misérables, Les', index: 1, drop: 0.5, attention: 0 },
  ],
  attention: [],
  occlusion: [],
  shared: [{ concept: { kind: 'genre', label: 'Action' }, drivers: [1], inProfile: true }],
  profileLine: '',
};
const words = await englishWords();

describe('titles with a trailing article in explanations', () => {
  it('the template sentence says "The Rock", never "Rock, The", and passes both checks', () => {
    for (let seed = 0; seed < 8; seed++) {
      const e = templateExplanation(facts, seed);
      expect(e.text, e.text).toMatch(/The Rock/);
      expect(e.text, e.text).not.toMatch(/Rock, The|Misérables, Les/);
      expect(checkExplanation(e.text, facts, vocab), e.text).toMatchObject({
        ok: true,
        citedItems: e.citedItems,
      });
      expect(checkReadability(e.text, facts, words).ok, e.text).toBe(true);
    }
  });

  it('the fact check accepts both spellings of a fact title, in spans and in plain text', () => {
    for (const text of [
      'Because you watched [Rock, The], try [Heat].',
      'Because you watched [The Rock], try [Heat].',
    ])
      expect(checkExplanation(text, facts, vocab), text).toMatchObject({ ok: true, citedItems: [1] });
    expect(
      checkExplanation('Because you watched The Rock and Les Misérables.', facts, vocab).citedItems,
    ).toEqual([1, 2]);
  });

  it('and rejects a title that is not a fact in either spelling', () => {
    expect(checkExplanation('Like Matrix, The, it is loud.', facts, vocab).violations).toEqual([
      'names "Matrix, The", not a fact',
    ]);
    // before: the catalog vocabulary knew only "Matrix, The", so the shown spelling went unnoticed
    expect(checkExplanation('Like The Matrix, it is loud.', facts, vocab).violations).toEqual([
      'names "The Matrix", not a fact',
    ]);
    expect(checkExplanation('Because you watched [The Matrix].', facts, vocab).ok).toBe(false);
  });

  it('the language model keeps the spelling it was trained on; the page shows the readable one', async () => {
    // the prompt and the span constraint use the catalog spelling (models/train targets: "[Rock, The]")
    expect(explanationPrompt(facts).prompt).toContain('You watched: Rock, The and Misérables, Les.');
    const model = scriptedModel(['Rock, The] and [Misérables, Les], you will like [Heat] too.']);
    const e = await llmExplanation(model, facts, vocab, { seed: 1, maxTokens: 80 });
    expect(e, JSON.stringify(e)).toMatchObject({ source: 'llm', attempts: 1, citedItems: [1, 2] });
    expect(e.text).toBe('Because you watched The Rock and Les Misérables, you will like Heat too.');
    expect(checkExplanation(e.text, facts, vocab).ok).toBe(true);
  });

  it('rewrites whole fact titles only, in one pass', () => {
    expect(displayText('Because you watched [Rock, The] , [Heat] .', facts)).toBe(
      'Because you watched The Rock, Heat.',
    );
    expect(readableFactTitles('Rock, Theory and Rock, The.', facts)).toBe('Rock, Theory and The Rock.');
    expect(readableFactTitles('Heat is Heat.', facts)).toBe('Heat is Heat.');
  });
});
