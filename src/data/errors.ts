/**
 * Named errors of the data layer. Every message says what was expected and what to do about it.
 */

/** A line of an input file does not have the expected format. `line` is 1-based. */
export class DataFormatError extends Error {
  override readonly name = 'DataFormatError';

  /**
   * @param source file or format name, e.g. "ratings.csv"
   * @param line 1-based line number where the bad record starts
   * @param expected what the reader expected, e.g. "4 fields userId,movieId,rating,timestamp"
   * @param found the offending text (shortened), if useful
   */
  constructor(
    readonly source: string,
    readonly line: number,
    readonly expected: string,
    readonly found?: string,
  ) {
    const shown = found === undefined ? '' : `, found "${shorten(found)}"`;
    super(`${source}, line ${line}: expected ${expected}${shown}. Fix or remove that line and load again.`);
  }
}

/** Filtering or building left nothing usable, or the builder got contradictory options. */
export class DatasetBuildError extends Error {
  override readonly name = 'DatasetBuildError';
}

/** A named data set or a path could not be found or recognised (Node loader). */
export class DatasetNotFoundError extends Error {
  override readonly name = 'DatasetNotFoundError';
}

/** A packed catalog (`catalog.bin`) is truncated, corrupt or of an unknown version. */
export class CatalogFormatError extends Error {
  override readonly name = 'CatalogFormatError';
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
