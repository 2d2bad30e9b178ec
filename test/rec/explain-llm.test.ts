import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import { catalogVocabulary, checkExplanation } from '../../src/rec/explain-check.ts';
import { buildSpanConstraint, spanMask } from '../../src/rec/explain-constrain.ts';
import { buildItemFacts } from '../../src/rec/explain-facts.ts';
import { displayText, llmExplanation, verbaliserLabel } from '../../src/rec/explain-llm.ts';
import { buildProfile } from '../../src/rec/profile.ts';
import { noStories, storiesFile } from '../llm/stories-files.ts';
import { TINY_CATALOG, tinyItemById } from './catalog-fixture.ts';
import { scriptedModel } from './fake-language-model.ts';

const vocab = catalogVocabulary(TINY_CATALOG);
const profile = buildProfile([1, 2, 3, 7], tinyItemById);
// Scream (6) recommended; drivers Spaceballs (7) and Galaxy Quest (3); shares Comedy (+ 1990s)
const facts = buildItemFacts(
  6,
  {
    attention: [],
    occlusion: [
      { itemId: 7, index: 3, drop: 0.9 },
      { itemId: 3, index: 2, drop: 0.5 },
    ],
    baseScore: 1,
  },
  profile,
  tinyItemById,
  { occlusionConsidered: 4, windowLength: 4 },
);
const charEncode = (t: string): Int32Array =>
  Int32Array.from([1, ...Array.from(t, (c) => c.charCodeAt(0) + 3)]);

describe('span constraint (token trie)', () => {
  const c = buildSpanConstraint(charEncode, ['Alien', 'Aliens', 'Heat']);
  const ids = (s: string): number[] => Array.from(charEncode(s)).slice(1);
  const mask = spanMask(c);
  const chars = (m: Int32Array | null): string[] | null =>
    m === null ? null : Array.from(m, (id) => String.fromCharCode(id - 3)).sort();

  it('allows anything outside spans and only fact continuations inside', () => {
    expect(mask(ids('Hello '))).toBeNull();
    expect(chars(mask(ids('Hello [')))).toEqual(['A', 'H']);
    expect(chars(mask(ids('[Ali')))).toEqual(['e']);
    expect(chars(mask(ids('[Alien')))).toEqual([']', 's']); // complete fact: close, or continue to "Aliens"
    expect(chars(mask(ids('[Aliens')))).toEqual([']']);
    expect(mask(ids('[Heat] and '))).toBeNull();
  });

  it('starts inside a span with its own trie when the prompt ends with "[", then uses all facts', () => {
    const first = buildSpanConstraint(charEncode, ['Heat']);
    const m = spanMask(c, first);
    expect(chars(m([]))).toEqual(['H']);
    expect(chars(m(ids('Heat')))).toEqual([']']);
    expect(chars(m(ids('Heat] and [')))).toEqual(['A', 'H']);
  });
});

describe('post-check', () => {
  it('accepts facts, rejects other catalog titles, genres, decades and bracketed non-facts', () => {
    const good = checkExplanation(
      'Because you watched [Spaceballs], Scream has more [Comedy].',
      facts,
      vocab,
    );
    expect(good).toMatchObject({ ok: true, citedItems: [7] });
    expect(good.citedConcepts.map((x) => x.label)).toEqual(['Comedy']);
    expect(checkExplanation('Like Alien, it is great.', facts, vocab).violations).toEqual([
      'names "Alien", not a fact',
    ]);
    expect(checkExplanation('A Horror gem from the 1970s.', facts, vocab).violations).toEqual([
      'names genre "Horror", not a fact',
      'names decade "1970s", not a fact',
    ]);
    expect(checkExplanation('Because of [Space]', facts, vocab).ok).toBe(false);
    // "Heat" is a 4-letter single word: too common to count as a title mention outside brackets
    expect(checkExplanation('It brings the heat. Heat!', facts, vocab).ok).toBe(true);
  });
});

describe('LLM verbaliser with hand-built models', () => {
  it('a constrained model that wants to name a wrong title can only name a fact', async () => {
    const model = scriptedModel(['Alien], which is a great Comedy.']);
    const e = await llmExplanation(model, facts, vocab, { seed: 1 });
    expect(e.source).toBe('llm');
    expect(e.attempts).toBe(1);
    // it wanted "Alien"; the lowest allowed continuation spells a fact instead
    // the first span takes driver titles only: the lowest allowed ids spell "Galaxy Quest]"; the
    // fake then resumes its script at the same position (character 13)
    expect(e.text).toBe('Because you watched Galaxy Quest is a great Comedy.');
    expect(e.text).not.toMatch(/Alien/);
    expect(model.prompts[0]).toContain('You watched: Spaceballs and Galaxy Quest.');
  });

  it('letters glued to the span fail the readability check, then the template is used', async () => {
    // same model, but its script resumes inside a word: "[Galaxy Quest]reat Comedy."
    const model = scriptedModel(['Alien] is a great Comedy.']);
    const e = await llmExplanation(model, facts, vocab, { seed: 1 });
    // each attempt stops at the glued "r" (14 tokens), not at the end of its 25-character script
    expect(model.generated).toEqual([14, 14, 14]);
    expect(e).toMatchObject({ source: 'template', attempts: 3, failedChecks: ['readability'] });
    expect(e.rejected[0]).toEqual([
      'letters glued to "[Galaxy Quest]": "Galaxy Questr"',
      '1 of 4 words are not English: "r"',
    ]);
    expect(verbaliserLabel(e)).toBe("template: the language model's 3 attempts failed the readability check");
  });

  it("words that are not English fail the readability check (the rec-tuned stories260K's sentences)", async () => {
    const model = scriptedModel(['Spaceballs] on theking. She played with her faluffe. Bin lolls.'], false);
    const e = await llmExplanation(model, facts, vocab, { seed: 1, attempts: 2, maxTokens: 80 });
    expect(e).toMatchObject({ source: 'template', attempts: 2, failedChecks: ['readability'] });
    expect(e.rejected[0]).toEqual(['2 of 12 words are not English: "theking", "faluffe"']);
    expect(checkExplanation(e.text, facts, vocab).ok).toBe(true); // the template sentence
    const english = await llmExplanation(
      scriptedModel(['Spaceballs], so you will laugh at this one too.'], false),
      facts,
      vocab,
      { seed: 1, maxTokens: 80 },
    );
    expect(english).toMatchObject({ source: 'llm', attempts: 1, failedChecks: [] });
  });

  it("with textVocab, never writes a token id at or above it outside spans (a rec model's item tokens)", async () => {
    // the fake writes "~" (id 129) after the span; with textVocab 120 the lowest allowed id (0) is taken
    // instead (both are stray characters for the readability check, which names what was written)
    const model = scriptedModel(['Spaceballs] ~~ fun.']);
    const free = await llmExplanation(model, facts, vocab, { seed: 1, attempts: 1 });
    expect(free.rejected[0]).toEqual(['stray characters: "~"']);
    const text = await llmExplanation(scriptedModel(['Spaceballs] ~~ fun.']), facts, vocab, {
      seed: 1,
      attempts: 1,
      textVocab: 120,
    });
    // ids ≥ 120 ("~", also "u") became id 0, shown as U+FFFD
    expect(text.rejected[0][0]).toBe('stray characters: "\ufffd"');
    expect(text.rejected[0].join(' ')).not.toContain('~');
  });

  it('the post-check refuses item-token pieces in the text', () => {
    expect(checkExplanation('Because you watched [Spaceballs]<i2775>.', facts, vocab).violations).toEqual([
      'writes item token "<i2775>"; items are named by title only',
    ]);
  });

  it('an unconstrained model naming a wrong title is rejected, retried, then replaced by the template', async () => {
    const model = scriptedModel(['Alien] and Heat.', 'Spaceballs], a Horror film.'], false);
    const e = await llmExplanation(model, facts, vocab, { seed: 1, attempts: 3 });
    expect(e).toMatchObject({ source: 'template', attempts: 3, failedChecks: ['fact'] });
    expect(verbaliserLabel(e)).toBe("template: the language model's 3 attempts failed the fact check");
    expect(e.rejected).toEqual([
      ['span "[Alien]" is not a fact of this explanation', 'names "Alien", not a fact'],
      ['names genre "Horror", not a fact'],
      ['span "[Alien]" is not a fact of this explanation', 'names "Alien", not a fact'],
    ]);
    expect(e.text).toContain('Spaceballs');
  });

  it('an unconstrained model that stays with the facts passes on the first try', async () => {
    const e = await llmExplanation(
      scriptedModel(['Galaxy Quest] you get more Comedy.'], false),
      facts,
      vocab,
    );
    expect(e).toMatchObject({ source: 'llm', attempts: 1, citedItems: [3] });
    expect(e.text).toBe('Because you watched Galaxy Quest you get more Comedy.');
  });

  it("labels each line with who wrote it and which checks the fallback's attempts failed", () => {
    expect(verbaliserLabel({ source: 'llm', attempts: 2, failedChecks: ['readability'] })).toBe(
      'language model',
    );
    expect(verbaliserLabel({ source: 'template', attempts: 0, failedChecks: [] })).toBe('template');
    expect(verbaliserLabel(undefined)).toBe('template');
    expect(verbaliserLabel({ source: 'template', attempts: 1, failedChecks: ['fact', 'readability'] })).toBe(
      "template: the language model's 1 attempt failed the fact and readability checks",
    );
  });

  it('displays text without brackets', () => {
    expect(displayText('Because [Heat] , yes .', facts)).toBe('Because Heat, yes.');
  });
});

describe.skipIf(noStories)('LLM verbaliser with stories260K', () => {
  it('names only facts inside spans and passes the post-check (or falls back)', async () => {
    const model = await loadOwnLanguageModel(
      { model: storiesFile('stories260K.gguf') },
      { ops: new CpuOps() },
    );
    for (const seed of [1, 2, 3]) {
      const e = await llmExplanation(model, facts, vocab, { seed, maxTokens: 24 });
      expect(checkExplanation(e.text, facts, vocab).ok).toBe(true);
      if (e.source === 'llm') {
        // the opening span forces a fact right after "Because you watched"
        expect(e.text).toMatch(/^Because you watched (Spaceballs|Galaxy Quest)/);
      }
    }
    await model.dispose();
  });
});
