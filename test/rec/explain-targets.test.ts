/**
 * Explanation-task targets: every phrasing names the drivers and shared concepts in "[…]" as the
 * span constraint expects and passes the page's post-check (fact and readability checks: the tuned
 * model is taught sentences the page would show); the concept-consistency probe marks
 * exactly the shared concepts as facts.
 */
import { describe, expect, it } from 'vitest';
import { catalogVocabulary, checkExplanation } from '../../src/rec/explain-check.ts';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { explanationPrompt } from '../../src/rec/explain-llm.ts';
import { checkReadability, englishWords } from '../../src/rec/explain-readable.ts';
import { conceptProbe, explanationTargets } from '../../src/rec/explain-targets.ts';
import { TINY_CATALOG } from './catalog-fixture.ts';

const vocab = catalogVocabulary(TINY_CATALOG);
const facts: ExplanationFacts = {
  itemId: 3,
  title: 'Galaxy Quest',
  drivers: [
    { itemId: 7, title: 'Spaceballs', index: 2, drop: 0.5, attention: 1 },
    { itemId: 1, title: 'Alien', index: 0, drop: 0.2, attention: 0.5 },
  ],
  attention: [],
  occlusion: [],
  shared: [
    { concept: { kind: 'genre', label: 'Comedy' }, drivers: [7], inProfile: true },
    { concept: { kind: 'genre', label: 'Sci-Fi' }, drivers: [7, 1], inProfile: true },
  ],
  profileLine: '',
};

describe('explanation targets', () => {
  it('writes varied, checked sentences after the prompt', () => {
    const { prompt, targets } = explanationTargets(facts, vocab);
    expect(prompt.endsWith('Because you watched [')).toBe(true);
    expect(targets).toEqual([
      'Spaceballs] and [Alien], and [Galaxy Quest] shares [Comedy] and [Sci-Fi] with them.\n',
      'Spaceballs] and [Alien], you may like [Galaxy Quest]: it is [Comedy] and [Sci-Fi] too.\n',
      'Spaceballs] and [Alien] and you enjoy [Comedy] and [Sci-Fi], try [Galaxy Quest].\n',
      'Spaceballs] and [Alien], here is more [Comedy] and [Sci-Fi]: [Galaxy Quest].\n',
    ]);
    for (const t of targets) expect(checkExplanation(`[${t}`, facts, vocab).ok).toBe(true);
  });

  it('covers facts without drivers or without concepts, and nothing for empty facts', () => {
    const noDrivers = explanationTargets({ ...facts, drivers: [] }, vocab);
    expect(noDrivers.prompt.endsWith('Galaxy Quest has [')).toBe(true);
    expect(noDrivers.targets[0]).toBe('Comedy] and [Sci-Fi], which you watch often.\n');
    const noConcepts = explanationTargets({ ...facts, shared: [] }, vocab);
    expect(noConcepts.targets).toEqual([
      'Spaceballs] and [Alien], try [Galaxy Quest].\n',
      'Spaceballs] and [Alien], [Galaxy Quest] is a good next pick.\n',
    ]);
    expect(explanationTargets({ ...facts, drivers: [], shared: [] }, vocab).targets).toEqual([]);
  });

  it('every target passes the readability check as well (English between the spans, finished)', async () => {
    const words = await englishWords();
    const variants = [facts, { ...facts, drivers: [] }, { ...facts, shared: [] }];
    for (const f of variants) {
      const { opening } = explanationPrompt(f);
      const { targets } = explanationTargets(f, vocab);
      expect(targets.length).toBeGreaterThan(0);
      for (const t of targets) expect(checkReadability(opening + t, f, words).violations, t).toEqual([]);
    }
  });

  it('probes the concept span with every label, facts marked', () => {
    const probe = conceptProbe(facts, ['Action', 'Comedy', 'Horror', 'Sci-Fi']);
    expect(
      probe?.context.endsWith('Because you watched [Spaceballs] and [Alien], and [Galaxy Quest] shares ['),
    ).toBe(true);
    expect(probe?.options).toEqual(['Action]', 'Comedy]', 'Horror]', 'Sci-Fi]']);
    expect(probe?.fact).toEqual([false, true, false, true]);
    expect(conceptProbe({ ...facts, shared: [] }, ['Comedy'])).toBeUndefined();
  });
});
