/**
 * What the widget says about the history the host fed it: items the model does not know, and
 * items older than the model's window (the same wording as the page's status line).
 */
import { unknownHistoryNote } from '../state/history-window.ts';

/** The parts of the recommender state the notes depend on. */
export interface HistoryFacts {
  /** history items the model does not know */
  unknownInHistory: number;
  /** set when the known history is longer than the model's window */
  windowNote?: string;
}

/** The notes to show, in order (unknown items first); empty when the whole history is used. */
export function historyNotes(facts: HistoryFacts): string[] {
  const notes = [unknownHistoryNote(facts.unknownInHistory), facts.windowNote]; // [2]
  return notes.filter((note): note is string => note !== undefined);
}
