import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/protocol/errors.ts';
import type { SasrecExplainResult } from '../../src/protocol/messages-sasrec.ts';
import { ExplainState, type ExplainSources } from '../../src/rec/explain-state.svelte.ts';
import { templateExplanation } from '../../src/rec/explain-text.ts';
import type { Verbaliser } from '../../src/state/llm.svelte.ts';
import { TINY_CATALOG } from './catalog-fixture.ts';

type Answer = Awaited<ReturnType<ExplainSources['recommender']['explainFacts']>>;

/** Facts for items 6 and 3 after history 1, 2, 7 (keys = catalog keys, model id = catalog id). */
function answer(items: number[], keyOf = (id: number): string => TINY_CATALOG[id - 1].key): Answer {
  const result: SasrecExplainResult = {
    items: items.map(() => ({
      attention: [{ itemId: 7, index: 2, weight: 1 }],
      occlusion: [{ itemId: 7, index: 2, drop: 0.5 }],
      baseScore: 1,
    })),
    occlusionConsidered: 3,
    windowLength: 3,
    backend: 'cpu',
    ms: 1,
  };
  return { result, history: [1, 2, 7], items, keyOf };
}

function sources(explainFacts: ExplainSources['recommender']['explainFacts']): ExplainSources {
  return {
    recommender: { explainFacts },
    itemOfKey: (key) => TINY_CATALOG.find((i) => i.key === key),
    catalogItems: () => TINY_CATALOG,
  };
}

describe('ExplainState', () => {
  it('joins the facts and writes one explanation per item, in list order', async () => {
    const state = new ExplainState(sources(async () => answer([6, 3])));
    await state.refresh(['a', 'b', 'g'], ['f', 'c']);
    expect(Object.keys(state.facts)).toEqual(['f', 'c']);
    expect(state.facts.f?.drivers.map((d) => d.title)).toEqual(['Spaceballs']);
    expect(Object.keys(state.texts)).toEqual(['f', 'c']);
    expect(state.texts.f?.text).toContain('Spaceballs');
    expect(state.profile?.itemsCounted).toBe(3);
  });

  it('a newer refresh cancels the older one: its facts never land', async () => {
    let release: (a: Answer) => void = () => {};
    const slow = new Promise<Answer>((r) => (release = r));
    let call = 0;
    const state = new ExplainState(sources(() => (call++ === 0 ? slow : Promise.resolve(answer([3])))));
    const first = state.refresh(['a'], ['f']);
    await state.refresh(['a', 'b'], ['c']);
    release(answer([6]));
    await first;
    expect(Object.keys(state.facts)).toEqual(['c']);
    expect(Object.keys(state.texts)).toEqual(['c']);
  });

  it('is quiet when cancelled and reports other errors', async () => {
    const cancelled = new ExplainState(sources(() => Promise.reject(new CancelledError('newer request'))));
    await cancelled.refresh(['a'], ['f']);
    expect(cancelled.error).toBeUndefined();
    const failing = new ExplainState(sources(() => Promise.reject(new RangeError('bad'))));
    await failing.refresh(['a'], ['f']);
    expect(failing.error).toBe('RangeError: bad');
  });

  it('with the LLM worker verbaliser: every item in list order, with its worker time', async () => {
    const explain = new ExplainState(sources(async () => answer([6, 3])));
    const asked: string[] = [];
    explain.verbaliser = async (facts) => {
      asked.push(facts.title);
      const text = `LLM on ${facts.title}`;
      return {
        explanation: {
          text,
          citedItems: [],
          citedConcepts: [],
          source: 'llm',
          attempts: 1,
          rejected: [],
          failedChecks: [],
        },
        ms: facts.itemId * 10,
      };
    };
    await explain.refresh(['a', 'b', 'g'], ['f', 'c']);
    expect(asked).toEqual(['Scream', 'Galaxy Quest']);
    expect(explain.texts.f).toMatchObject({ text: 'LLM on Scream', source: 'llm' });
    expect(explain.llmMs).toEqual([60, 30]);
  });

  it('explains in list order when the keys are numbers (MovieLens ids), not in ascending key order', async () => {
    // the re-ranked list [3, 6] has keys '97', '94': an object keyed by them iterates '94' first
    const numbered = TINY_CATALOG.map((item) => ({ ...item, key: String(100 - item.id) }));
    const explain = new ExplainState({
      recommender: { explainFacts: async () => answer([3, 6], (id) => String(100 - id)) },
      itemOfKey: (key) => numbered.find((i) => i.key === key),
      catalogItems: () => numbered,
    });
    const asked: string[] = [];
    explain.verbaliser = async (facts, seed) => {
      asked.push(facts.title);
      return {
        explanation: { ...templateExplanation(facts, seed), attempts: 0, rejected: [], failedChecks: [] },
        ms: 1,
      };
    };
    await explain.refresh(['99', '98', '93'], ['97', '94']);
    expect(asked).toEqual(['Galaxy Quest', 'Scream']);
  });

  it('a newer list aborts the LLM verbaliser call of the older one; its text never lands', async () => {
    let call = 0;
    const explain = new ExplainState(sources(async () => answer(call++ === 0 ? [6] : [3])));
    const signals: AbortSignal[] = [];
    const verbaliser: Verbaliser = (facts, seed, _vocabulary, signal) => {
      signals.push(signal);
      const reply = {
        explanation: { ...templateExplanation(facts, seed), attempts: 0, rejected: [], failedChecks: [] },
        ms: 1,
      };
      // the first call waits until it is aborted, then answers anyway (a late worker reply)
      if (signals.length > 1) return Promise.resolve(reply);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(reply)));
    };
    explain.verbaliser = verbaliser;
    const first = explain.refresh(['a'], ['f']);
    await new Promise((r) => setTimeout(r, 0));
    await explain.refresh(['a', 'b'], ['c']);
    await first;
    expect(signals[0]?.aborted).toBe(true);
    expect(Object.keys(explain.texts)).toEqual(['c']);
  });
});
