/**
 * The model reads at most `maxLen` history items (its window); a longer history is cut to its
 * most recent `maxLen` items by the ranking session. This says so on the page and in the widget,
 * as it does for history items the model does not know.
 */

/**
 * Note shown when a history of `known` model-known items is longer than the model's window,
 * or undefined when everything is used.
 */
export function historyWindowNote(known: number, maxLen: number): string | undefined {
  if (known <= maxLen) return undefined;
  return (
    `Only your ${maxLen.toLocaleString('en-US')} most recent items are used ` +
    `(the model's window); the ${(known - maxLen).toLocaleString('en-US')} older ones are ignored.`
  );
}

/** Note shown when `unknown` history items are not in the model's vocabulary, or undefined when none. */
export function unknownHistoryNote(unknown: number): string | undefined {
  if (unknown <= 0) return undefined;
  return `${unknown.toLocaleString('en-US')} history item(s) unknown to the model are ignored.`;
}
