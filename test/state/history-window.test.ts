import { describe, expect, it } from 'vitest';
import { historyWindowNote } from '../../src/state/history-window.ts';

describe('historyWindowNote', () => {
  it('is silent when the history fits the window', () => {
    expect(historyWindowNote(0, 200)).toBeUndefined();
    expect(historyWindowNote(200, 200)).toBeUndefined();
  });

  it('says how many items are used and how many older ones are ignored', () => {
    expect(historyWindowNote(10_000, 200)).toBe(
      "Only your 200 most recent items are used (the model's window); the 9,800 older ones are ignored.",
    );
  });
});
