import { describe, expect, it } from 'vitest';
import { ModelItemIds } from '../../src/state/item-ids.ts';

describe('ModelItemIds', () => {
  const ids = new ModelItemIds(['318', '1', '2571']);

  it('maps keys to 1-based ids and back', () => {
    expect(ids.count).toBe(3);
    expect(ids.idOf('318')).toBe(1);
    expect(ids.idOf('2571')).toBe(3);
    expect(ids.keyOf(2)).toBe('1');
    expect(ids.keyOf(0)).toBeUndefined();
    expect(ids.keyOf(4)).toBeUndefined();
    expect(ids.idOf('999')).toBeUndefined();
  });

  it('drops unknown keys from a history and remembers where the kept ones were', () => {
    expect(ids.toModelHistory(['2571', 'nope', '318'])).toEqual({ ids: [3, 1], kept: [0, 2] });
  });
});
