/**
 * Training targets for the explanation task (models/train/explain_tune.py): what the LLM verbaliser
 * should write after its prompt (explain-llm.ts `explanationPrompt`), built from the facts alone
 * with varied phrasing — every title and concept in "[…]" as the span constraint expects, each
 * target checked by the same post-check the page uses. Also the concept-consistency probe
 * (LLM2ER): the prompt continued up to a concept span, and every catalog concept label as a possible
 * continuation, marked fact or not; the trainer keeps the epoch that puts most probability on facts.
 */
import type { Concept } from './concepts.ts';
import { checkExplanation, type CatalogVocabulary } from './explain-check.ts';
import type { ExplanationFacts } from './explain-facts.ts';
import { explanationPrompt } from './explain-llm.ts';

/** How many drivers and concepts a target names at most. */
const MAX_NAMED = 2;

/** "[A]" or "[A] and [B]" — the first `MAX_NAMED` labels, bracketed. */
function spans(labels: readonly string[]): string {
  return labels
    .slice(0, MAX_NAMED)
    .map((l) => `[${l}]`)
    .join(' and ');
}

type Phrase = (title: string, drivers: string, concepts: string) => string;

// continuations of "Because you watched [" (the leading "[" of `drivers` is the prompt's)
const WITH_BOTH: Phrase[] = [
  (t, d, c) => `${d}, and [${t}] shares ${c} with them.`,
  (t, d, c) => `${d}, you may like [${t}]: it is ${c} too.`,
  (t, d, c) => `${d} and you enjoy ${c}, try [${t}].`,
  (t, d, c) => `${d}, here is more ${c}: [${t}].`,
];
const DRIVERS_ONLY: Phrase[] = [(t, d) => `${d}, try [${t}].`, (t, d) => `${d}, [${t}] is a good next pick.`];
// continuations of "<title> has ["
const CONCEPTS_ONLY: Phrase[] = [
  (_t, _d, c) => `${c}, which you watch often.`,
  (_t, _d, c) => `${c}, like much of your history.`,
];

/** One training example: the prompt and the checked continuations (opening excluded, newline-ended). */
export interface ExplanationTargets {
  prompt: string;
  targets: string[];
}

/** Shared concepts worth naming: those of the named drivers or the profile first (as the template does). */
function namedConcepts(facts: ExplanationFacts): Concept[] {
  const named = new Set(facts.drivers.slice(0, MAX_NAMED).map((d) => d.itemId));
  const preferred = facts.shared.filter((s) => s.inProfile || s.drivers.some((id) => named.has(id)));
  return (preferred.length > 0 ? preferred : facts.shared).map((s) => s.concept);
}

/** Every phrasing that fits `facts` and passes the post-check; [] when the facts give nothing to say. */
export function explanationTargets(facts: ExplanationFacts, vocab: CatalogVocabulary): ExplanationTargets {
  const { prompt, opening } = explanationPrompt(facts);
  const drivers = spans(facts.drivers.map((d) => d.title)).slice(1); // the prompt opened the first "["
  const concepts = spans(namedConcepts(facts).map((c) => c.label));
  const family =
    facts.drivers.length > 0
      ? concepts
        ? WITH_BOTH
        : DRIVERS_ONLY
      : concepts
        ? CONCEPTS_ONLY.map(
            (p): Phrase =>
              (t, d, c) =>
                p(t, d, c.slice(1)),
          )
        : [];
  const targets = family
    .map((phrase) => phrase(facts.title, drivers, concepts))
    .filter((text) => checkExplanation(opening + text, facts, vocab).ok)
    .map((text) => `${text}\n`);
  return { prompt, targets };
}

/** The concept-consistency probe of `facts`: a context ending at a concept span, and the labels it may hold. */
export interface ConceptProbe {
  /** prompt + opening + drivers + "… shares [" */
  context: string;
  /** every concept label the catalog knows, each followed by "]" */
  options: string[];
  /** [options] true where the label is a fact (a shared concept) */
  fact: boolean[];
}

/** The probe, or undefined when `facts` have no driver or no shared concept. */
export function conceptProbe(facts: ExplanationFacts, labels: readonly string[]): ConceptProbe | undefined {
  if (facts.drivers.length === 0 || facts.shared.length === 0) return undefined;
  const { prompt } = explanationPrompt(facts); // ends with "Because you watched ["

  const drivers = spans(facts.drivers.map((d) => d.title)).slice(1);
  const shared = new Set(facts.shared.map((s) => s.concept.label));
  return {
    context: `${prompt}${drivers}, and [${facts.title}] shares [`,
    options: labels.map((l) => `${l}]`),
    fact: labels.map((l) => shared.has(l)),
  };
}
