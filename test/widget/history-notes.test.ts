import { describe, expect, it } from 'vitest';
import { historyWindowNote } from '../../src/state/history-window.ts';
import { historyNotes } from '../../src/widget/history-notes.ts';

describe('historyNotes (widget)', () => {
  it('is empty when every item is known and inside the window', () => {
    expect(historyNotes({ unknownInHistory: 0 })).toEqual([]);
  });

  it('counts unknown items, then states the window cut', () => {
    const windowNote = historyWindowNote(1_234, 200);
    expect(historyNotes({ unknownInHistory: 1_500, windowNote })).toEqual([
      '1,500 history item(s) unknown to the model are ignored.',
      "Only your 200 most recent items are used (the model's window); the 1,034 older ones are ignored.",
    ]);
  });
});
