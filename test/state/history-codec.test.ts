import { describe, expect, it } from 'vitest';
import {
  HistoryFormatError,
  parseHistoryEntries,
  parseHistoryExport,
  toHistoryExport,
} from '../../src/state/history-codec.ts';

describe('history codec', () => {
  const entries = [
    { key: '1', addedAt: 1000 },
    { key: '318', addedAt: 2000 },
  ];

  it('exports with titles and parses the export back', () => {
    const doc = toHistoryExport(
      entries,
      (k) => (k === '1' ? 'Toy Story' : undefined),
      new Date(Date.UTC(2026, 0, 2)),
    );
    expect(doc).toEqual({
      format: 'localrec-history',
      version: 1,
      exportedAt: '2026-01-02T00:00:00.000Z',
      items: [
        { key: '1', addedAt: 1000, title: 'Toy Story' },
        { key: '318', addedAt: 2000 },
      ],
    });
    expect(parseHistoryExport(JSON.stringify(doc))).toEqual(entries);
  });

  it('drops duplicate keys, keeping the first', () => {
    expect(parseHistoryEntries([...entries, { key: '1', addedAt: 3000 }])).toEqual(entries);
  });

  it('rejects malformed stored data and files with a named error', () => {
    expect(() => parseHistoryEntries([{ key: 1 }])).toThrow(HistoryFormatError);
    expect(() => parseHistoryExport('{not json')).toThrow(/not JSON/);
    expect(() => parseHistoryExport('{"format":"other"}')).toThrow(/not a LocalRec export/);
  });
});
