/**
 * Writing one generated section into a Markdown file shared with others (docs/BENCHMARKS.md):
 * only the text between the section's start and end markers is replaced; everything else is kept.
 */

/** The markers of the SASRec latency section. */
export const SASREC_MARKERS = {
  start: '<!-- bench:sasrec:start -->',
  end: '<!-- bench:sasrec:end -->',
} as const;

/** The document has broken markers (one missing, duplicated, or end before start); fix them by hand. */
export class SectionMarkerError extends Error {
  override readonly name = 'SectionMarkerError';
}

const NEW_DOC_HEADING = '# LocalRec — measured figures';
const NEW_SECTION_HEADING = '## SASRec latency in the page';

/**
 * `doc` with the text between `markers` replaced by `body`. A missing document (null) becomes a
 * new one with a heading; a document without the markers gets the section appended at the end.
 */
export function replaceMarkedSection(
  doc: string | null,
  body: string,
  markers: { start: string; end: string } = SASREC_MARKERS,
): string {
  const block = `${markers.start}\n${body.trim()}\n${markers.end}`;
  const section = `${NEW_SECTION_HEADING}\n\n${block}\n`;
  if (doc === null) return `${NEW_DOC_HEADING}\n\n${section}`;
  const starts = countOf(doc, markers.start);
  const ends = countOf(doc, markers.end);
  if (starts === 0 && ends === 0) return `${doc.replace(/\s*$/, '')}\n\n${section}`;
  const from = doc.indexOf(markers.start);
  const to = doc.indexOf(markers.end);
  if (starts !== 1 || ends !== 1 || to < from) {
    throw new SectionMarkerError(
      `expected exactly one "${markers.start}" followed by one "${markers.end}", found ${starts} start and ${ends} end marker(s)` +
        (to < from && starts === 1 && ends === 1 ? ' with the end first' : '') +
        '; repair the markers in the document and rerun',
    );
  }
  return doc.slice(0, from) + block + doc.slice(to + markers.end.length);
}

/** Non-overlapping occurrences of `needle` in `text`. */
function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
