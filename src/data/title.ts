/**
 * Title helpers: MovieLens titles end with the release year in parentheses, "Toy Story (1995)".
 */

const TRAILING_YEAR = /^(.*?)\s*\((\d{4})\)\s*$/;

/** Split "Heat (1995)" into {title: "Heat", year: 1995}; titles without a trailing year keep all text. */
export function splitTitleYear(raw: string): { title: string; year?: number } {
  const match = TRAILING_YEAR.exec(raw);
  if (!match || match[1].trim() === '') return { title: raw.trim() };
  return { title: match[1].trim(), year: Number(match[2]) };
}

/** The title as people know it: "Heat (1995)", or just the title when the year is unknown. */
export function displayTitle(item: { title: string; year?: number }): string {
  return item.year === undefined ? item.title : `${item.title} (${item.year})`;
}

/** Split a `|`-separated genre list; MovieLens' "(no genres listed)" becomes []. */
export function splitGenres(raw: string): string[] {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed === '(no genres listed)') return [];
  return trimmed
    .split('|')
    .map((g) => g.trim())
    .filter((g) => g !== '');
}
