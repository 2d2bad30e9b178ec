/**
 * Validating what a host page hands `<local-rec>` as viewed items (`el.history = …`,
 * `el.addViewed(…)`): item keys are strings or finite numbers, a history is an array (or other
 * non-string iterable) of them. Anything else is refused with a named error saying what was given.
 */
import { LocalRecError } from '../protocol/errors.ts';

/** A host page gave the widget something that is not an item key or a list of them. */
export class WidgetInputError extends LocalRecError {
  override name = 'WidgetInputError';
}

/** Longest key accepted (item keys are ids or short slugs); the frame bridge's messages too. */
export const MAX_KEY_LENGTH = 200;

/** What `value` is, for messages: "null", "a number (42)", "an object", … */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 40))})`;
  return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
}

/** One item key as a string; `where` names it in the error (e.g. "history[3]"). */
export function parseItemKey(value: unknown, where: string): string {
  const key = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new WidgetInputError(
      `<local-rec>: ${where} must be an item key (a non-empty string of at most ${MAX_KEY_LENGTH} ` +
        `characters, or a finite number), got ${describe(value)}.`,
    );
  }
  return key;
}

/** The item keys of a history given by the host, oldest first. */
export function parseHistoryInput(value: unknown): string[] {
  const iterable =
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
  if (!iterable) {
    throw new WidgetInputError(
      `<local-rec>: history must be an array of item keys, oldest first (e.g. el.history = ['1', '2']), got ${describe(value)}.`,
    );
  }
  return Array.from(value as Iterable<unknown>, (key, i) => parseItemKey(key, `history[${i}]`));
}
