/**
 * The LLM verbaliser: the model writes the sentence from a prompt holding only the facts; while it
 * names a title or concept ("[…]" spans) decoding is constrained to the fact strings
 * (explain-constrain.ts); every result passes the post-check — the fact check (explain-check.ts) and
 * the readability check (explain-readable.ts) — rejected texts are regenerated with a new seed a
 * bounded number of times, then the template sentence is used.
 */
import { deriveSeed } from '../eval/random.ts';
import type { LanguageModel, LanguageModelGeneration } from '../llm/language-model.ts';
import {
  allowedFactStrings,
  checkExplanation,
  readableFactTitles,
  type CatalogVocabulary,
} from './explain-check.ts';
import { buildSpanConstraint, spanMask } from './explain-constrain.ts';
import type { ExplanationFacts } from './explain-facts.ts';
import { plainWrap, type PromptWrap } from './explain-prompt-wrap.ts';
import { certainlyUnreadable, checkReadability, englishWords } from './explain-readable.ts';
import { templateExplanation, type Explanation } from './explain-text.ts';
import { joinLabels } from './profile.ts';

/** Options of `llmExplanation`. */
export interface LlmExplainOptions {
  seed?: number;
  /** generated tokens per attempt (default 40) */
  maxTokens?: number;
  /** generations tried before the template fallback (default 3) */
  attempts?: number;
  /** sampling temperature (default 0.8; attempts differ by seed) */
  temperature?: number;
  signal?: AbortSignal;
  /**
   * token ids ≥ this are never generated (a rec-tuned model's item tokens, ids baseVocab…): default
   * all ids allowed outside "[…]" spans
   */
  textVocab?: number;
  /** how the facts become a prompt (default plain text; a chat GGUF's template: explain-prompt-wrap.ts) */
  wrap?: PromptWrap;
}

/** The two parts of the post-check an attempt must pass. */
export type ExplainCheck = 'fact' | 'readability';

/** An explanation with how it came about. */
export interface LlmExplanation extends Explanation {
  /** generations run (0 when the facts gave the model nothing to say) */
  attempts: number;
  /** post-check violations of rejected attempts */
  rejected: string[][];
  /** the checks that rejected at least one attempt ('fact' first) */
  failedChecks: ExplainCheck[];
}

/** How the page labels a line: who wrote it and, for a fallback, which check the model's attempts failed. */
export function verbaliserLabel(
  text: Partial<Pick<LlmExplanation, 'source' | 'attempts' | 'failedChecks'>> | undefined,
): string {
  if (text?.source === 'llm') return 'language model';
  const tried = text?.attempts ?? 0;
  if (tried === 0) return 'template';
  const checks = text?.failedChecks?.length ? text.failedChecks : ['fact'];
  const failed = checks.length === 1 ? `the ${checks[0]} check` : `the ${checks.join(' and ')} checks`;
  return `template: the language model's ${tried} attempt${tried === 1 ? '' : 's'} failed ${failed}`;
}

/** The prompt: the facts, then the start of the sentence ending inside a "[" span. */
export function explanationPrompt(
  facts: ExplanationFacts,
  wrap: PromptWrap = plainWrap,
): { prompt: string; opening: string } {
  const concepts = facts.shared.map((s) => s.concept.label);
  const lines = [
    `Movie: ${facts.title}.`,
    facts.drivers.length > 0 ? `You watched: ${joinLabels(facts.drivers.map((d) => d.title))}.` : '',
    concepts.length > 0 ? `In common: ${joinLabels(concepts)}.` : '',
    'Write one sentence; put every movie title and genre in [brackets].',
  ].filter((l) => l !== '');
  const opening = facts.drivers.length > 0 ? 'Because you watched [' : `${facts.title} has [`;
  return { prompt: wrap(lines.join('\n'), opening), opening };
}

/** The shown text: brackets removed, whitespace tidied, titles spelled as the page shows them ("The Rock"). */
export function displayText(raw: string, facts: ExplanationFacts): string {
  const plain = raw
    .replace(/[[\]]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:!?])/g, '$1')
    .trim();
  return readableFactTitles(plain, facts);
}

/** Verbalise `facts` with `model`; falls back to the template sentence when no attempt passes. */
export async function llmExplanation(
  model: LanguageModel,
  facts: ExplanationFacts,
  vocab: CatalogVocabulary,
  options: LlmExplainOptions = {},
): Promise<LlmExplanation> {
  const { seed = 0, maxTokens = 40, attempts = 3, temperature = 0.8, signal, textVocab, wrap } = options;
  const failed = new Set<ExplainCheck>();
  const failedChecks = (): ExplainCheck[] => (['fact', 'readability'] as const).filter((c) => failed.has(c));
  const fallback = (tried: number, rejected: string[][]): LlmExplanation => ({
    ...templateExplanation(facts, seed),
    attempts: tried,
    rejected,
    failedChecks: failedChecks(),
  });
  const { concepts } = allowedFactStrings(facts);
  if (facts.drivers.length === 0 && concepts.length === 0) return fallback(0, []);
  // spans are constrained to the titles as the prompt and the training targets spell them ("Rock, The")
  const titles = [facts.title, ...facts.drivers.map((d) => d.title)];
  const { prompt, opening } = explanationPrompt(facts, wrap);
  const encode = (t: string): Int32Array => model.encode(t);
  const inSpans = model.info.canConstrain
    ? spanMask(
        buildSpanConstraint(encode, [...titles, ...concepts.map((c) => c.label)]),
        // "Because you watched [" must name a driver; "<title> has [" a shared concept
        buildSpanConstraint(
          encode,
          facts.drivers.length > 0 ? facts.drivers.map((d) => d.title) : concepts.map((c) => c.label),
        ),
      )
    : undefined;
  const textOnly = textVocab === undefined ? null : Int32Array.from({ length: textVocab }, (_, id) => id); // [textVocab]
  // outside spans: any text token (spans only ever hold fact strings, which are text)
  const allowedTokens = inSpans && textOnly ? (g: readonly number[]) => inSpans(g) ?? textOnly : inSpans;
  const words = await englishWords();
  const rejected: string[][] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { generation, stoppedEarly } = await generateChecked(model, prompt, opening, facts, signal, {
      maxTokens,
      temperature,
      seed: deriveSeed(seed, facts.itemId, attempt),
      stop: ['\n'],
      ...(allowedTokens ? { allowedTokens } : {}),
    });
    if (signal?.aborted) break;
    const raw = opening + generation.text;
    const check = checkExplanation(raw, facts, vocab);
    const readable = checkReadability(raw, facts, words);
    if (check.ok && readable.ok) {
      return {
        text: displayText(raw, facts),
        citedItems: check.citedItems,
        citedConcepts: check.citedConcepts,
        source: 'llm',
        attempts: attempt + 1,
        rejected,
        failedChecks: failedChecks(),
      };
    }
    if (!check.ok) failed.add('fact');
    if (!readable.ok) failed.add('readability');
    // an attempt stopped early is unfinished because it was stopped: that is not its fault
    const unreadable = stoppedEarly
      ? readable.violations.filter((v) => !v.startsWith('unfinished sentence'))
      : readable.violations;
    rejected.push([...check.violations, ...unreadable]);
  }
  return fallback(rejected.length, rejected);
}

/**
 * One attempt, stopped as soon as its text is certainly unreadable (explain-readable.ts: a glued span,
 * a stray character) — the post-check would reject it anyway, so the rest of its tokens are not
 * generated (`stoppedEarly`). `signal` (the caller's) aborts it too.
 */
async function generateChecked(
  model: LanguageModel,
  prompt: string,
  opening: string,
  facts: ExplanationFacts,
  signal: AbortSignal | undefined,
  options: Omit<Parameters<LanguageModel['generate']>[1], 'signal'>,
): Promise<{ generation: LanguageModelGeneration; stoppedEarly: boolean }> {
  const stop = new AbortController();
  const forward = (): void => stop.abort();
  if (signal?.aborted) stop.abort();
  signal?.addEventListener('abort', forward, { once: true });
  try {
    const run = model.generate(prompt, { ...options, signal: stop.signal });
    let text = '';
    let stoppedEarly = false;
    for (;;) {
      const step = await run.next();
      if (step.done) return { generation: step.value, stoppedEarly };
      text += step.value.text;
      if (!stop.signal.aborted && certainlyUnreadable(opening + text, facts) !== null) {
        stoppedEarly = true;
        stop.abort();
      }
    }
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}
