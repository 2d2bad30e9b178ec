/**
 * Iterative k-core filtering: repeatedly drop users with fewer than `minUser` interactions and
 * items with fewer than `minItem`, until every remaining user and item meets its threshold
 * (dropping an item can push a user below the threshold and vice versa).
 */

/**
 * @param users user index per interaction; [n]
 * @param items item index per interaction; [n]
 * @param alive in/out: 1 = interaction kept; [n]
 * @returns number of passes made
 */
export function kCoreFilter(
  users: Int32Array,
  items: Int32Array,
  alive: Uint8Array,
  userCount: number,
  itemCount: number,
  minUser: number,
  minItem: number,
): number {
  if (minUser <= 1 && minItem <= 1) return 0;
  let passes = 0;
  for (;;) {
    passes++;
    const perUser = new Int32Array(userCount); // [users]
    const perItem = new Int32Array(itemCount); // [items]
    for (let i = 0; i < users.length; i++) {
      if (alive[i]) {
        perUser[users[i]]++;
        perItem[items[i]]++;
      }
    }
    let changed = false;
    for (let i = 0; i < users.length; i++) {
      if (alive[i] && (perUser[users[i]] < minUser || perItem[items[i]] < minItem)) {
        alive[i] = 0;
        changed = true;
      }
    }
    if (!changed) return passes;
  }
}
