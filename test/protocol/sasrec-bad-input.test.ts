/**
 * Bad ranking input at the SASRec handler (CPU, tiny fixture, maxLen 8, 37 items): unknown ids and
 * malformed histories get InvalidRequestError; a 10,000-item history ranks exactly like its most
 * recent maxLen items.
 */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, ModelNotLoadedError } from '../../src/protocol/errors.ts';
import { createSasrecHandlers } from '../../src/protocol/sasrec-handler.ts';
import { ITEM_COUNT, ORIGIN, ctx, env } from './sasrec-fixture.ts';

async function loadedHandlers() {
  const h = createSasrecHandlers(env());
  const loaded = await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'cpu' }, ctx());
  return { h, maxLen: loaded.maxLen };
}

describe('SASRec handler: bad input', () => {
  it('refuses ids the model does not have, naming the index and the valid range', async () => {
    const { h } = await loadedHandlers();
    const rank = h['sasrec.rank']({ history: [3, ITEM_COUNT + 1, 4], k: 5 }, ctx());
    await expect(rank).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(rank).rejects.toThrow(`history[1] = ${ITEM_COUNT + 1} is not an item id (1..${ITEM_COUNT})`);
    for (const history of [[], [0], [-2], [1.5]]) {
      await expect(h['sasrec.rank']({ history, k: 5 }, ctx())).rejects.toBeInstanceOf(InvalidRequestError);
    }
  });

  it('ranks a 10,000-item history like its last maxLen items', async () => {
    const { h, maxLen } = await loadedHandlers();
    expect(maxLen).toBe(8);
    const recent = [5, 7, 11, 2, 3, 9, 4, 1]; // [maxLen]
    // older items repeat the recent ones, so "exclude the history" removes the same items
    const long = Array.from({ length: 10_000 }, (_, i) => recent[(i + 10_000 - maxLen) % maxLen]); // [10000]
    expect(long.slice(-maxLen)).toEqual(recent);
    const full = await h['sasrec.rank']({ history: long, k: 10 }, ctx());
    const fresh = (await loadedHandlers()).h; // no cache shared with the long request
    const windowOnly = await fresh['sasrec.rank']({ history: recent, k: 10 }, ctx());
    expect(full.ids).toEqual(windowOnly.ids);
    expect(full.scores).toEqual(windowOnly.scores);

    // with other older items and nothing excluded, the scores still depend on the window only
    const mixed = Array.from({ length: 10_000 - maxLen }, (_, i) => (i % ITEM_COUNT) + 1).concat(recent);
    const a = await h['sasrec.rank']({ history: mixed, k: 10, excludeHistory: false }, ctx());
    const b = await fresh['sasrec.rank']({ history: recent, k: 10, excludeHistory: false }, ctx());
    expect(a.ids).toEqual(b.ids);
    expect(a.scores).toEqual(b.scores);
  });

  it('sasrec.loseDevice needs a model and destroys nothing on the CPU', async () => {
    const empty = createSasrecHandlers(env());
    await expect(empty['sasrec.loseDevice']({}, ctx())).rejects.toBeInstanceOf(ModelNotLoadedError);
    const { h } = await loadedHandlers();
    expect(await h['sasrec.loseDevice']({}, ctx())).toEqual({ backend: 'cpu', destroyed: false });
    const after = await h['sasrec.rank']({ history: [1, 2, 3], k: 5 }, ctx());
    expect(after.backend).toBe('cpu');
    expect(after.ids).toHaveLength(5);
  });
});
