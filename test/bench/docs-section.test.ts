import { describe, expect, it } from 'vitest';
import { SASREC_MARKERS, SectionMarkerError, replaceMarkedSection } from '../../src/bench/docs-section';

const { start, end } = SASREC_MARKERS;

describe('replaceMarkedSection', () => {
  it('replaces only the text between the markers and keeps the other sections', () => {
    const doc = `# T\n\n<!-- eval:start -->\nE\n<!-- eval:end -->\n\n${start}\nold\n${end}\n\ntail\n`;
    const out = replaceMarkedSection(doc, '\nnew table\n');
    expect(out).toBe(
      `# T\n\n<!-- eval:start -->\nE\n<!-- eval:end -->\n\n${start}\nnew table\n${end}\n\ntail\n`,
    );
    expect(replaceMarkedSection(out, 'new table')).toBe(out); // idempotent
  });

  it('creates a document with a heading when there is none, appends the section when markers are absent', () => {
    expect(replaceMarkedSection(null, 'x')).toBe(
      `# LocalRec — measured figures\n\n## SASRec latency in the page\n\n${start}\nx\n${end}\n`,
    );
    expect(replaceMarkedSection('# Doc\n\nother\n\n', 'x')).toBe(
      `# Doc\n\nother\n\n## SASRec latency in the page\n\n${start}\nx\n${end}\n`,
    );
  });

  it('refuses broken markers with SectionMarkerError', () => {
    expect(() => replaceMarkedSection(`${start}\n`, 'x')).toThrow(SectionMarkerError);
    expect(() => replaceMarkedSection(`${end}\n${start}\n`, 'x')).toThrow(/end first/);
    expect(() => replaceMarkedSection(`${start}${end}${start}${end}`, 'x')).toThrow(/2 start/);
  });
});
