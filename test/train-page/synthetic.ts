/**
 * A learnable interactions log for trainer tests: each user walks a ring of `items` items from a
 * user-specific start with a stride of 1, 2 or 3, so the next item follows from the last two.
 * Popularity is almost flat, so ranking by popularity scores low and a sequence model high.
 */

/** Shape of the generated log. */
export interface RingLog {
  users: number;
  items: number;
  /** history lengths cycle through minLength .. minLength + 12 */
  minLength: number;
}

/** Default: 300 users on a ring of 120 items, 8..20 interactions each. */
export const DEFAULT_RING: RingLog = { users: 300, items: 120, minLength: 8 };

/** The log as CSV text with a header `user,item,timestamp` (item keys "i<n>", user keys "u<n>"). */
export function ringCsv(log: RingLog = DEFAULT_RING): string {
  const lines = ['user,item,timestamp'];
  for (let u = 1; u <= log.users; u++) {
    const stride = 1 + (u % 3);
    const length = log.minLength + (u % 13);
    const start = (u * 7) % log.items;
    for (let j = 0; j < length; j++) {
      lines.push(`u${u},i${((start + j * stride) % log.items) + 1},${1_600_000_000 + u * 1000 + j}`);
    }
  }
  return lines.join('\n') + '\n';
}
