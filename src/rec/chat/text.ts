/**
 * Text normalisation shared by the chat vocabulary and the parser: both sides of a match go through
 * `words`, so "Sci-Fi", "sci fi" and "SCI-FI" meet as ["sci", "fi"], and "90's" as ["90s"].
 */
import { articleFirst, trailingArticle } from '../../data/title.ts';

/** Lower-cased words of `text`: letters/digits runs, apostrophes dropped, everything else a break. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: "Amélie" → "amelie"
    .replace(/['’‘]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** A phrase as the key the vocabulary stores: its words joined by single spaces. */
export function phraseKey(text: string): string {
  return words(text).join(' ');
}

/** Plural spellings of a phrase's last word ("comedy" → "comedies", "thriller" → "thrillers"). */
export function pluralForms(phrase: string): string[] {
  const m = /^(.*?)([a-z]+)$/.exec(phrase);
  if (!m) return [];
  const [, head, last] = m;
  if (last.endsWith('s')) return [];
  if (/[^aeiou]y$/.test(last)) return [`${head}${last.slice(0, -1)}ies`];
  return [`${head}${last}s`];
}

/**
 * Display title variants a user may type: "Matrix, The" → "the matrix" and "matrix";
 * "Seven (a.k.a. Se7en)" → "seven" and "se7en". Keys, normalised with `phraseKey`.
 */
export function titleVariants(title: string): string[] {
  const names = [title.replace(/\s*\((a\.k\.a\.|aka)\s[^)]*\)/gi, '')];
  for (const m of title.matchAll(/\((?:a\.k\.a\.|aka)\s([^)]*)\)/gi)) names.push(m[1]);
  const out = new Set<string>();
  for (const name of names) {
    const article = trailingArticle(name);
    if (article) {
      out.add(phraseKey(articleFirst(name)));
      out.add(phraseKey(article.body));
    } else {
      out.add(phraseKey(name));
    }
  }
  out.delete('');
  return [...out];
}
