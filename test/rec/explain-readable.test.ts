import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConceptKind } from '../../src/rec/concepts.ts';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import {
  MAX_UNKNOWN_SHARE,
  certainlyUnreadable,
  checkReadability,
  englishWords,
  isKnownWord,
  parseWordList,
} from '../../src/rec/explain-readable.ts';
import { templateExplanation } from '../../src/rec/explain-text.ts';

/** Facts as docs/explanations-sample-*.md lists them: title, drivers, shared concepts. */
function sampleFacts(title: string, drivers: string[], concepts: string[]): ExplanationFacts {
  const kind = (label: string): ConceptKind =>
    /^\d{4}s$/.test(label) ? 'decade' : /^[a-z]/.test(label) ? 'tag' : 'genre';
  return {
    itemId: 1,
    title,
    drivers: drivers.map((t, i) => ({ itemId: i + 2, title: t, index: i, drop: 1 - i / 10, attention: 0 })),
    attention: [],
    occlusion: [],
    shared: concepts.map((label) => ({
      concept: { kind: kind(label), label },
      drivers: [],
      inProfile: true,
    })),
    profileLine: '',
  };
}

const words = await englishWords();
const trueLies = sampleFacts(
  'True Lies',
  ['Mariachi, El', 'Batman', 'Fugitive, The'],
  ['Thriller', 'Action', '1990s'],
);
const departed = sampleFacts(
  'Departed, The',
  ['Eternal Sunshine of the Spotless Mind', 'Braveheart', 'Eagle Eye'],
  ['Drama', '2000s', 'Crime', 'Thriller'],
);
const eightHalf = sampleFacts(
  '8 1/2 (8½)',
  ['Dial M for Murder', 'Fear and Loathing in Las Vegas', 'Rosencrantz and Guildenstern Are Dead'],
  ['Drama'],
);
const id4 = sampleFacts(
  'Independence Day (a.k.a. ID4)',
  ['Abyss, The', 'Signs', 'Core, The'],
  ['Sci-Fi', 'Action', 'Adventure', 'aliens', 'Thriller', '1990s'],
);

describe('the English word list', () => {
  it('is the committed SCOWL-derived list: common words in, garbage out', () => {
    expect(words.size).toBeGreaterThan(30_000);
    for (const w of ['because', 'you', 'watched', 'shares', 'enjoyed', 'like', 'story', 'movies'])
      expect(words.has(w), w).toBe(true);
    for (const w of ['theking', 'faluffe', 'romewin', 'feptertrbuptatop'])
      expect(words.has(w), w).toBe(false);
    expect(readFileSync('src/rec/english-words.txt', 'utf8')).toMatch(/^# .*\n# .*SCOWL/);
  });

  it('parses one word a line, skipping comments and blank lines', () => {
    expect([...parseWordList('# header\nalpha\n\n  beta \n#x\n')]).toEqual(['alpha', 'beta']);
  });

  it('knows numbers, contractions and possessives of listed words, and "I"', () => {
    for (const w of [
      '13',
      "didn't",
      'don’t',
      "can't",
      "it's",
      "you'll",
      "friend's",
      'I',
      "I'm",
      'Sci',
      'noir',
    ])
      expect(isKnownWord(w, words), w).toBe(true);
    for (const w of ['andd', "romewin's", 'comedy4', '1990ss']) expect(isKnownWord(w, words), w).toBe(false);
  });
});

describe('readability gate: real failing samples (docs/explanations-sample-llama-rec.md, -explain.md)', () => {
  it('rejects words that are not English beyond 1 in 10', () => {
    const r = checkReadability(
      'Because you watched [Eagle Eye] but fac on them! Sally feptertrbuptatop. Sue de',
      departed,
      words,
    );
    expect(r.ok).toBe(false);
    expect(r.unknown).toEqual(['fac', 'feptertrbuptatop', 'de']);
    expect(r.violations).toEqual([
      '3 of 11 words are not English: "fac", "feptertrbuptatop", "de"',
      'unfinished sentence: ends "ertrbuptatop. Sue de", not with ".", "!" or "?"',
    ]);
    // 2 of 19: just over the line
    const lion = checkReadability(
      'Because you watched [Batman] on theking. She played on the lion with her faluffe. Bin every day, she lolls, have',
      trueLies,
      words,
    );
    expect(lion.ok).toBe(false);
    expect(lion.unknown.length / lion.words).toBeGreaterThan(MAX_UNKNOWN_SHARE);
    expect(
      checkReadability(
        'Because you watched [Fear and Loathing in Las Vegas] andd shares Romewin and the Leve O',
        eightHalf,
        words,
      ).violations[0],
    ).toBe('4 of 10 words are not English: "andd", "romewin", "leve", "o"');
  });

  it('rejects a sentence the token budget cut, even when every word is English (eval:explain, tuned model)', () => {
    const facts = sampleFacts(
      'Raiders of the Lost Ark',
      ['Indiana Jones and the Temple of Doom', 'Nosferatu (Nosferatu, eine Symphonie des Grauens)'],
      ['Action', 'Horror'],
    );
    const r = checkReadability(
      'Because you watched [Nosferatu (Nosferatu, eine Symphonie des Grauens)] and',
      facts,
      words,
    );
    expect(r).toMatchObject({ ok: false, unknown: [] });
    expect(r.violations).toEqual([
      'unfinished sentence: ends "ie des Grauens)] and", not with ".", "!" or "?"',
    ]);
    for (const end of ['.', '!', '?', '."', '.”', '!)'])
      expect(
        checkReadability(
          `Because you watched [Nosferatu (Nosferatu, eine Symphonie des Grauens)] too${end}`,
          facts,
          words,
        ).ok,
        end,
      ).toBe(true);
  });

  it('rejects letters glued to a fact span (the title as shown would be wrong)', () => {
    const swordfish = sampleFacts(
      'Swordfish',
      ['Tommy', 'Die Another Day', 'Gangs of New York'],
      ['2000s', 'Drama'],
    );
    const r = checkReadability(
      'Because you watched [Gangs of New York]esy Daisaunis. Sher botgytout the whe resff',
      swordfish,
      words,
    );
    expect(r.violations[0]).toBe('letters glued to "[Gangs of New York]": "Gangs of New Yorkesy"');
    expect(
      checkReadability('Because you watched [Core, The]gs fp in her piinttrianet', id4, words).violations[0],
    ).toBe('letters glued to "[Core, The]": "Core, Thegs"');
  });

  it('rejects stray characters between the spans', () => {
    const r = checkReadability(
      'Because you watched [Signs] and �[Sci-Fi], try * Disch upon ammy friend Trk�.',
      id4,
      words,
    );
    expect(r.violations).toEqual([
      'stray characters: "�", "*"',
      '3 of 10 words are not English: "disch", "ammy", "trk"',
    ]);
    expect(
      checkReadability(
        'Because you watched [Eagle Eye], here is more % Onrit Elfetulley Broken you en',
        departed,
        words,
      ).ok,
    ).toBe(false);
  });
});

describe('stopping an attempt early', () => {
  it('only on what the rest of the text cannot undo: a glued span, a stray character no fact has', () => {
    expect(certainlyUnreadable('Because you watched [Core, The]gs', id4)).toBe(
      'letters glued to "[Core, The]": "Core, Thegs"',
    );
    expect(certainlyUnreadable('Because you watched [Signs] and �', id4)).toBe('stray character "�"');
    // not yet: a span still open, a title with "&" being written without brackets, English so far
    expect(certainlyUnreadable('Because you watched [Core, The', id4)).toBeNull();
    const kicking = sampleFacts('Waterboy, The', ['Kicking & Screaming'], ['Comedy']);
    expect(certainlyUnreadable('Because you watched Kicking &', kicking)).toBeNull();
    expect(certainlyUnreadable('Because you watched [Signs] and theking', id4)).toBeNull();
  });
});

describe('one stray-character rule for both checks', () => {
  const kicking = sampleFacts('Waterboy, The', ['Kicking & Screaming', 'Face/Off'], ['Comedy']);
  const strayOf = (text: string): string | undefined =>
    checkReadability(text, kicking, words).violations.find((v) => v.startsWith('stray'));

  it('a finished text: stopped early exactly when the post-check finds a stray character', () => {
    // before: certainlyUnreadable let "&" and "/" pass anywhere because some fact string holds them,
    // while checkReadability (fact phrases blanked) rejected these texts
    for (const text of ['Because you watched [Face/Off] & more.', 'Because you watched [Face/Off] / fun.']) {
      expect(strayOf(text), text).toMatch(/^stray characters: "[&/]"$/);
      expect(certainlyUnreadable(text, kicking), text).toMatch(/^stray character "[&/]"$/);
    }
    for (const text of [
      'Because you watched Kicking & Screaming and [Face/Off].',
      'Because you watched [Face/Off], and Face/Off is fun.',
      'Because you watched [Face/Off]: try it.',
    ]) {
      expect(strayOf(text), text).toBeUndefined();
      expect(certainlyUnreadable(text, kicking), text).toBeNull();
    }
  });

  it('an unfinished text: only the fact string it may still be writing at its end is excused', () => {
    expect(certainlyUnreadable('Because you watched Kicking &', kicking)).toBeNull();
    expect(certainlyUnreadable('Because you watched [Comedy] and Face/', kicking)).toBeNull();
    expect(certainlyUnreadable('Because you watched [Comedy] & then Kicking &', kicking)).toBe(
      'stray character "&"',
    );
    // "Face/" glued to a word is not the start of the title
    expect(certainlyUnreadable('Because you watched [Comedy] theFace/', kicking)).toBe('stray character "/"');
    expect(strayOf('Because you watched Kicking &')).toBe('stray characters: "&"');
  });
});

describe('readability gate: good sentences pass', () => {
  it('every template sentence (they never name a word outside the list)', () => {
    for (const facts of [trueLies, departed, eightHalf, id4])
      for (let seed = 0; seed < 12; seed++) {
        const text = templateExplanation(facts, seed).text;
        expect(checkReadability(text, facts, words), text).toMatchObject({ ok: true, unknown: [] });
      }
  });

  it('English sentences, bracketed or not, with a name or a film word', () => {
    const good = [
      // stories260K, untuned (docs/explanations-sample.md): English, if odd; "Mia" is 1 of 13
      'Because you watched [Batman] to them and said, "Okay, right!" Mia nodded too highest.',
      'Because you watched [Mariachi, El] and [Batman], you may like this one: it shares [Thriller] and [Action].',
      "Because you watched [Batman], here's another suspenseful [Action] film from the [1990s] — don't miss it!",
      'Because you watched Batman and Fugitive, The: True Lies has Thriller and Action too.',
      'Because you watched [Batman], try True Lies; it is a sci-fi-free blockbuster with a lot of humour.',
    ];
    for (const text of good)
      expect(checkReadability(text, trueLies, words), text).toMatchObject({ ok: true, violations: [] });
  });

  it('counts no words inside spans or fact strings, and takes an unclosed span as a span (unfinished)', () => {
    const r = checkReadability(
      'Because you watched [Rosencrantz and Guildenstern Are Dead',
      eightHalf,
      words,
    );
    expect(r).toMatchObject({ ok: false, words: 3, unknown: [] });
    expect(r.violations).toEqual([
      'unfinished sentence: ends "uildenstern Are Dead", not with ".", "!" or "?"',
    ]);
  });
});
