import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/protocol/errors.ts';
import { CANDIDATES, ChatState, type ChatSources } from '../../../src/rec/chat/chat-state.svelte.ts';
import { CatalogState } from '../../../src/state/catalog.svelte.ts';
import { TINY_CATALOG } from '../catalog-fixture.ts';

/** A catalog holding TINY_CATALOG (popularity = id, so Untitled is the most popular). */
async function tinyCatalog(): Promise<CatalogState> {
  const catalog = new CatalogState();
  const popularity = Int32Array.from({ length: TINY_CATALOG.length + 1 }, (_, i) => i); // [N + 1]
  await catalog.load(async () => ({ items: TINY_CATALOG, popularity }), 'tiny');
  return catalog;
}

/** A recommender answering every history with ids 2..7 scored 6..1, recording what it was asked. */
function fakeRecommender(asked: { keys: readonly string[]; k: number }[]): ChatSources['recommender'] {
  return {
    status: 'ready',
    candidates: async (keys, k) => {
      asked.push({ keys, k });
      return ['b', 'c', 'd', 'e', 'f', 'g'].map((key, i) => ({ key, score: 6 - i }));
    },
  };
}

describe('ChatState', () => {
  it('asks SASRec with the anchors appended, filters, and replies with what it understood', async () => {
    const asked: { keys: readonly string[]; k: number }[] = [];
    const chat = new ChatState(
      { catalog: await tinyCatalog(), history: { keys: ['d'] }, recommender: fakeRecommender(asked) },
      3,
    );
    await chat.send('something like Alien, no horror');
    expect(asked).toEqual([{ keys: ['d', 'a'], k: CANDIDATES }]);
    // z-scores of 6..1 (std √(17.5/6)) + 2 × concept Jaccard with Alien: Aliens 1.46 + 0.57,
    // Galaxy Quest 0.88 + 0.57, Clueless 0.29 + 0, Heat −0.29, Spaceballs −1.46 + 0.29; Scream removed
    expect(chat.refined.map((r) => r.item.title)).toEqual(['Aliens', 'Galaxy Quest', 'Clueless']);
    await chat.send('from the 90s');
    // 1990s and no Horror: Galaxy Quest, Clueless, Heat (Scream is Horror)
    expect(chat.refined.map((r) => r.item.title)).toEqual(['Galaxy Quest', 'Clueless', 'Heat']);
    expect(chat.turns.map((t) => t.reply)).toEqual([
      'Like Alien (1979); no Horror: 5 of the top 6 fit, best 3 shown.',
      'Like Alien (1979); only the 1990s; no Horror: 3 of the top 6 fit, best 3 shown.',
    ]);
    await chat.send('start over');
    expect(chat.refined).toEqual([]);
    expect(asked).toHaveLength(2);
  });

  it('waits while the page ranks and stays quiet when its request is superseded', async () => {
    const catalog = await tinyCatalog();
    const ranking = new ChatState({
      catalog,
      history: { keys: ['d'] },
      recommender: { status: 'ranking', candidates: async () => [] },
    });
    await ranking.send('no horror');
    expect(ranking.turns[0].reply).toBe('No Horror. The list follows once the recommendations are ready.');
    const superseded = new ChatState({
      catalog,
      history: { keys: ['d'] },
      recommender: {
        status: 'ready',
        candidates: async () => {
          throw new CancelledError('"sasrec.rank" #1 superseded by #2.');
        },
      },
    });
    await expect(superseded.refresh()).resolves.toBeUndefined(); // nothing asked yet
    await superseded.send('comedy');
    expect(superseded.refined).toEqual([]);
    expect(superseded.busy).toBe(false);
  });

  it('with the language model on, gives it only the requests the rules understood nothing of', async () => {
    const asked: { request: string; choices: string[] }[] = [];
    const chat = new ChatState(
      { catalog: await tinyCatalog(), history: { keys: ['d'] }, recommender: fakeRecommender([]) },
      3,
    );
    let answer = 'no [Comedy]';
    chat.commandPicker = async (request, choices) => {
      asked.push({ request, choices });
      return { index: choices.indexOf(answer), raw: answer };
    };
    await chat.send('no horror');
    expect(asked).toEqual([]); // the rules understood it
    await chat.send('blorp');
    expect(asked.map((a) => a.request)).toEqual(['blorp']);
    expect(asked[0].choices).toContain('nothing');
    expect(asked[0].choices).toContain('only [1990s]');
    // no Comedy (the model) and no Horror (the rules): Aliens, Heat of b..g; Galaxy Quest, Clueless, Scream, Spaceballs out
    expect(chat.refined.map((r) => r.item.title)).toEqual(['Aliens', 'Heat']);
    expect(chat.turns[1].reply).toBe(
      'No Horror and Comedy: 2 of the top 6 fit, best 2 shown. (the language model read this as “no [Comedy]”)',
    );
    answer = 'nothing';
    await chat.send('hello');
    expect(chat.turns[2].reply).not.toContain('language model');
    expect(chat.refined.map((r) => r.item.title)).toEqual(['Aliens', 'Heat']);
  });
});
