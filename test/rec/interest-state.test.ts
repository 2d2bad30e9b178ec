import { describe, expect, it } from 'vitest';
import { InterestState } from '../../src/rec/interest-state.svelte.ts';

/** key "k<id>" ↔ model id; "unknown" has no id. */
const modelIdOf = (key: string): number | undefined =>
  key.startsWith('k') ? Number(key.slice(1)) : undefined;

describe('InterestState', () => {
  it('asks for the known history and list items in model ids and keeps P(yes) by key', async () => {
    const state = new InterestState({ modelIdOf });
    const asked: [number[], number[]][] = [];
    await state.refresh(
      async (history, items) => {
        asked.push([history, items]);
        return items.map((id) => id / 10);
      },
      ['k1', 'unknown', 'k2'],
      ['k5', 'unknown', 'k3'],
    );
    expect(asked).toEqual([
      [
        [1, 2],
        [5, 3],
      ],
    ]);
    expect(state.pYes).toEqual({ k5: 0.5, k3: 0.3 });
  });

  it('clears the figures without a scorer, and a failing or superseded request shows none', async () => {
    const state = new InterestState({ modelIdOf });
    await state.refresh(async (_h, items) => items.map(() => 0.9), ['k1'], ['k2']);
    expect(state.pYes).toEqual({ k2: 0.9 });
    await state.refresh(null, ['k1'], ['k2']);
    expect(state.pYes).toEqual({});
    await state.refresh(
      async () => {
        throw new Error('worker gone');
      },
      ['k1'],
      ['k2'],
    );
    expect(state.pYes).toEqual({});
    // an older request that answers after a newer one started does not overwrite it
    let release: (p: number[]) => void = () => undefined;
    const older = state.refresh(() => new Promise((resolve) => (release = resolve)), ['k1'], ['k2']);
    const newer = state.refresh(async () => [0.2], ['k1'], ['k3']);
    release([0.7]);
    await Promise.all([older, newer]);
    expect(state.pYes).toEqual({ k3: 0.2 });
  });
});
