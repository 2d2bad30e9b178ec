/**
 * ExplainState with the LLM worker's verbaliser (the page's language-model switch): explanations
 * stream item by item from the verbaliser with their worker times, and a newer list aborts the
 * verbaliser call still running for the older one.
 */
import { describe, expect, it } from 'vitest';
import type { SasrecExplainResult } from '../../src/protocol/messages.ts';
import { ExplainState } from '../../src/rec/explain-state.svelte.ts';
import { templateExplanation } from '../../src/rec/explain-text.ts';
import type { Verbaliser } from '../../src/state/llm.svelte.ts';
import { TINY_CATALOG } from './catalog-fixture.ts';

function state(): ExplainState {
  return new ExplainState({
    recommender: {
      explainFacts: async (_keys, itemKeys) => {
        const items = itemKeys.map((key) => TINY_CATALOG.findIndex((i) => i.key === key) + 1);
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
        return { result, history: [1, 2, 7], items, keyOf: (id) => TINY_CATALOG[id - 1].key };
      },
    },
    itemOfKey: (key) => TINY_CATALOG.find((i) => i.key === key),
    catalogItems: () => TINY_CATALOG,
  });
}

describe('ExplainState with the LLM verbaliser', () => {
  it('uses the verbaliser for every item, in list order, and records its times', async () => {
    const explain = state();
    const asked: string[] = [];
    explain.verbaliser = async (facts) => {
      asked.push(facts.title);
      return {
        explanation: {
          text: `LLM on ${facts.title}`,
          citedItems: [],
          citedConcepts: [],
          source: 'llm',
          attempts: 1,
          rejected: [],
        },
        ms: facts.itemId * 10,
      };
    };
    await explain.refresh(['a', 'b', 'g'], ['f', 'c']);
    expect(asked).toEqual(['Scream', 'Galaxy Quest']);
    expect(explain.texts.f).toMatchObject({ text: 'LLM on Scream', source: 'llm' });
    expect(explain.llmMs).toEqual([60, 30]);
  });

  it('a newer list aborts the verbaliser call of the older one; its text never lands', async () => {
    const explain = state();
    const signals: AbortSignal[] = [];
    const verbaliser: Verbaliser = (facts, seed, _vocabulary, signal) => {
      signals.push(signal);
      const answer = {
        explanation: { ...templateExplanation(facts, seed), attempts: 0, rejected: [] },
        ms: 1,
      };
      // the first call waits until it is aborted, then answers anyway (a late worker reply)
      if (signals.length > 1) return Promise.resolve(answer);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(answer)));
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
