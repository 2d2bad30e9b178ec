/**
 * Title helpers: MovieLens titles end with the release year in parentheses, "Toy Story (1995)", and
 * move a leading article to the end, "Rock, The (1996)".
 */

const TRAILING_YEAR = /^(.*?)\s*\((\d{4})\)\s*$/;

/** Split "Heat (1995)" into {title: "Heat", year: 1995}; titles without a trailing year keep all text. */
export function splitTitleYear(raw: string): { title: string; year?: number } {
  const match = TRAILING_YEAR.exec(raw);
  if (!match || match[1].trim() === '') return { title: raw.trim() };
  return { title: match[1].trim(), year: Number(match[2]) };
}

/**
 * Articles that catalogs move to the end of a title for sorting ("Rock, The", "Misérables, Les",
 * "Ours, L'"): English, and the French, Italian, Spanish, Portuguese, German, Dutch and Scandinavian
 * ones MovieLens uses. One list for the page's titles and the chat's title matching.
 */
export const TRAILING_ARTICLES = [
  ...['The', 'A', 'An'],
  ...["L'", 'Le', 'La', 'Les', 'Un', 'Une'],
  ...['Il', 'Lo', 'I', 'Gli', 'Uno', 'Una'],
  ...['El', 'Los', 'Las'],
  ...['O', 'Os', 'As'],
  ...['Der', 'Die', 'Das', 'Ein', 'Eine'],
  ...['De', 'Het', 'Een', 'Det', 'Den', 'En', 'Ett'],
  'Da',
] as const;

const ARTICLE = `(${TRAILING_ARTICLES.join('|')})`;
/** "Rock, The", and "Crow, The: Wicked Prayer" (the article before a subtitle). */
const TRAILING_ARTICLE = [
  new RegExp(`^(.+),\\s*${ARTICLE}()$`, 'i'),
  new RegExp(`^([^:]+),\\s*${ARTICLE}(:\\s.*)$`, 'i'),
];

/**
 * A name whose article was moved to its end, split: "Rock, The" → {article: "The", body: "Rock"},
 * "Crow, The: Wicked Prayer" → {article: "The", body: "Crow: Wicked Prayer"}; undefined when the
 * name has no trailing article (one of TRAILING_ARTICLES after a comma).
 */
export function trailingArticle(name: string): { article: string; body: string } | undefined {
  for (const pattern of TRAILING_ARTICLE) {
    const match = pattern.exec(name.trim());
    if (match) return { article: match[2], body: `${match[1].trim()}${match[3]}` };
  }
  return undefined;
}

/** "Rock, The" → "The Rock", "Ours, L'" → "L'Ours"; other names unchanged. */
export function articleFirst(name: string): string {
  const split = trailingArticle(name);
  if (!split) return name;
  return split.article.endsWith("'") ? `${split.article}${split.body}` : `${split.article} ${split.body}`;
}

/**
 * A catalog title (without its year) as it reads in a sentence: a trailing article goes back to
 * the front, in the title and in each alternative title in parentheses — "City of Lost Children,
 * The (Cité des enfants perdus, La)" → "The City of Lost Children (La Cité des enfants perdus)",
 * "Seven (a.k.a. Se7en)" unchanged. The one function every shown or said title goes through.
 */
export function readableTitle(title: string): string {
  const open = title.indexOf(' (');
  const main = open < 0 ? title : title.slice(0, open);
  const alternatives = open < 0 ? '' : title.slice(open);
  return (
    articleFirst(main) +
    alternatives.replace(
      /\(((?:a\.k\.a\.|aka)\s+)?([^()]*)\)/gi,
      (_all, aka: string | undefined, name: string) => `(${aka ?? ''}${articleFirst(name)})`,
    )
  );
}

/** The title as people know it: "The Rock (1996)", or just the title when the year is unknown. */
export function displayTitle(item: { title: string; year?: number }): string {
  const title = readableTitle(item.title);
  return item.year === undefined ? title : `${title} (${item.year})`;
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
