/**
 * The one-line reply to a chat turn, built only from what the parser understood (catalog titles
 * and concepts) and what the refinement did — it cannot name anything the catalog does not have.
 */
import { displayTitle } from '../../data/title.ts';
import type { Concept } from '../concepts.ts';
import { joinLabels } from '../profile.ts';
import { isEmptyIntent, type ChatIntent, type Polarity } from './intent.ts';
import type { Refined, RefinedItem } from './refine.ts';

/** How each polarity reads in a reply. */
const PREFIX: Record<Polarity, string> = { require: 'only', boost: 'more', demote: 'less', exclude: 'no' };

/** A concept as the chat names it: genres bare, tags in quotes, decades as "the 1990s". */
export function named(concept: Concept): string {
  if (concept.kind === 'tag') return `“${concept.label}”`;
  return concept.kind === 'decade' ? `the ${concept.label}` : concept.label;
}

/** "Title (1979)" of an anchor. */
const anchorLabel = (item: ChatIntent['similarTo'][number]): string => displayTitle(item);

/** The understood parts of `intent`, e.g. ["like Alien (1979)", "more Comedy", "no Horror"]. */
export function describeIntent(intent: ChatIntent): string[] {
  const parts: string[] = [];
  if (intent.similarTo.length > 0) parts.push(`like ${joinLabels(intent.similarTo.map(anchorLabel))}`);
  for (const p of ['require', 'boost', 'demote', 'exclude'] as const) {
    const concepts = intent.concepts[p];
    if (concepts.length > 0) parts.push(`${PREFIX[p]} ${joinLabels(concepts.map(named))}`);
  }
  if (intent.yearMin !== undefined && intent.yearMax !== undefined)
    parts.push(`from ${intent.yearMin} to ${intent.yearMax}`);
  else if (intent.yearMin !== undefined) parts.push(`from ${intent.yearMin} on`);
  else if (intent.yearMax !== undefined) parts.push(`up to ${intent.yearMax}`);
  return parts;
}

/**
 * The reply to a turn.
 * @param total the conversation's intent after this turn (what the list now reflects)
 * @param refined the refined list; undefined while the page is still ranking
 */
export function replyTo(total: ChatIntent, refined: Refined | undefined): string {
  const ignored =
    total.ignored.length > 0 ? ` I did not use: ${total.ignored.map((w) => `“${w}”`).join(', ')}.` : '';
  if (isEmptyIntent(total)) {
    if (total.reset) return `Starting over: your plain recommendations.${ignored}`;
    return (
      'I found no genre, tag, decade or title of this catalog in that; try “no horror”, “from the 90s” ' +
      `or “like <title>”.${ignored}`
    );
  }
  const asked = describeIntent(total).join('; ');
  const head = `${asked.charAt(0).toUpperCase()}${asked.slice(1)}`;
  if (!refined) return `${head}. The list follows once the recommendations are ready.${ignored}`;
  if (refined.considered === 0)
    return `${head}. Add a few movies first: there is nothing to refine yet.${ignored}`;
  if (refined.items.length === 0) {
    return `${head}: nothing among the top ${refined.considered} fits all of that — drop a filter or say “start over”.${ignored}`;
  }
  const fit = refined.considered - refined.removed;
  return `${head}: ${fit} of the top ${refined.considered} fit, best ${refined.items.length} shown.${ignored}`;
}

/** Why a refined item fits, from its facts: "has Comedy and the 1990s; shares Sci-Fi with Alien (1979)". */
export function fitLine(item: Pick<RefinedItem, 'fits' | 'alike'>): string {
  const parts: string[] = [];
  if (item.fits.length > 0) parts.push(`has ${joinLabels(item.fits.map(named))}`);
  if (item.alike && item.alike.shared.length > 0)
    parts.push(`shares ${joinLabels(item.alike.shared.map(named))} with ${anchorLabel(item.alike.anchor)}`);
  return parts.join('; ');
}
