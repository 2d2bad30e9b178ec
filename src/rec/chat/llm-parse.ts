/**
 * A language model as the chat parser's fallback: when the rules understood nothing ("I want to
 * laugh"), the model picks ONE command from a closed set — "more [Comedy]", "no [Horror]",
 * "only [1990s]", … over the catalog's genres and decades, or "nothing" — and decoding is
 * constrained to exactly those strings (a token trie through `allowedTokens`). The picked text is
 * then checked against the same set (a runtime that ignores masks cannot slip anything in) and
 * mapped to an intent; anything else leaves the rules' result (nothing understood) in place.
 */
import { generateAll, type LanguageModel } from '../../llm/language-model.ts';
import type { Concept } from '../concepts.ts';
import { plainWrap, type PromptWrap } from '../explain-prompt-wrap.ts';
import { emptyIntent, isEmptyIntent, setPolarity, type ChatIntent, type Polarity } from './intent.ts';
import { parseRequest } from './parse.ts';
import type { ChatVocabulary } from './vocabulary.ts';

/** The command words the model may use, and what they do. */
const COMMANDS: Record<string, Polarity> = { more: 'boost', less: 'demote', no: 'exclude', only: 'require' };
/** The choice meaning "no request found". */
export const NOTHING = 'nothing';

/** One allowed model output and the intent change it stands for. */
export interface Choice {
  text: string;
  concept?: Concept;
  polarity?: Polarity;
}

/** Outcome of `parseWithModel`. */
export interface ModelParse {
  intent: ChatIntent;
  /** who understood the request */
  source: 'rules' | 'llm';
  /** the model's raw output (absent when the rules sufficed or the model cannot be constrained) */
  raw?: string;
}

/** The closed set: every command × every genre/decade of the vocabulary, plus NOTHING. */
export function commandChoices(vocab: ChatVocabulary): Choice[] {
  const concepts = new Map<string, Concept>();
  for (const c of vocab.concepts.values()) if (c.kind !== 'tag') concepts.set(`${c.kind}:${c.label}`, c);
  const out: Choice[] = [{ text: NOTHING }];
  for (const [word, polarity] of Object.entries(COMMANDS))
    for (const concept of concepts.values())
      out.push({ text: `${word} [${concept.label}]`, concept, polarity });
  return out;
}

/** Few-shot prompt ending where the command starts (`wrap`: plain text, or a chat GGUF's template). */
export function commandPrompt(request: string, wrap: PromptWrap = plainWrap): string {
  const instruction = [
    'Turn each movie request into one command: more [genre], less [genre], no [genre], only [decade], or nothing.',
    'Request: something to make me laugh\nCommand: more [Comedy]',
    'Request: I get nightmares easily\nCommand: no [Horror]',
    'Request: films my parents saw as teenagers in the seventies\nCommand: only [1970s]',
    'Request: hello there\nCommand: nothing',
    `Request: ${request.replace(/\s+/g, ' ').trim()}`,
  ].join('\n');
  return wrap(instruction, 'Command:');
}

/** A token trie over the allowed outputs. */
export interface ChoiceNode {
  next: Map<number, ChoiceNode>;
  /** index into the choices when a choice ends here */
  end?: number;
}

/** The trie of `sequences` (each as the model would continue the prompt). */
export function choiceTrie(sequences: readonly (readonly number[])[]): ChoiceNode {
  const root: ChoiceNode = { next: new Map() };
  sequences.forEach((ids, index) => {
    let node = root;
    for (const id of ids) {
      let child = node.next.get(id);
      if (!child) node.next.set(id, (child = { next: new Map() }));
      node = child;
    }
    node.end ??= index;
  });
  return root;
}

/** The node reached by `ids` (stopping at `eos`), undefined when they leave the trie. */
function walk(root: ChoiceNode, ids: readonly number[], eos: number): ChoiceNode | undefined {
  let node: ChoiceNode | undefined = root;
  for (const id of ids) {
    if (id === eos) break;
    node = node?.next.get(id);
  }
  return node;
}

/** The `allowedTokens` hook admitting exactly the trie's sequences, each followed by `eos`. */
export function choiceMask(
  root: ChoiceNode,
  eos: number,
): (generated: readonly number[]) => Int32Array | null {
  return (generated) => {
    const node = walk(root, generated, eos);
    if (!node) return Int32Array.of(eos); // off the trie (a runtime ignored the mask): end it
    const allowed = [...node.next.keys()];
    if (node.end !== undefined) allowed.push(eos);
    return Int32Array.from(allowed); // [allowed]
  };
}

/** Index of the complete choice `ids` spell (up to `eos`), else undefined. */
export function chosenIndex(root: ChoiceNode, ids: readonly number[], eos: number): number | undefined {
  return walk(root, ids, eos)?.end;
}

/** True when the rules understood nothing (and were not told to start over): the model may try. */
export function rulesNeedModel(rules: ChatIntent): boolean {
  return isEmptyIntent(rules) && !rules.reset;
}

/** The model's pick among the choice strings: index into them (undefined: no complete choice) and its raw text. */
export interface CommandPick {
  index: number | undefined;
  raw: string;
}

/**
 * Let `model` pick one of `texts` for `request`: greedy decoding constrained to exactly those
 * strings (token trie), the picked ids checked against the trie again. Runs where the model is
 * (the page's LLM worker, or Node).
 */
export async function pickCommand(
  model: LanguageModel,
  request: string,
  texts: readonly string[],
  signal?: AbortSignal,
  wrap?: PromptWrap,
): Promise<CommandPick> {
  const eos = model.info.eos;
  if (!model.info.canConstrain || eos === null) return { index: undefined, raw: '' };
  const encoded = texts.map((t) => Array.from(model.encode(t)).slice(1)); // BOS dropped
  const trie = choiceTrie(encoded);
  const generation = await generateAll(model, commandPrompt(request, wrap), {
    maxTokens: Math.max(...encoded.map((ids) => ids.length + 1)),
    allowedTokens: choiceMask(trie, eos),
    ...(signal ? { signal } : {}),
  });
  const raw = generation.text.trim();
  // the token ids are the truth; a text-only runtime is checked on its text
  const found = generation.tokenIds ? chosenIndex(trie, generation.tokenIds, eos) : texts.indexOf(raw);
  return { index: found !== undefined && found >= 0 ? found : undefined, raw };
}

/** The intent a pick stands for; the rules' intent (nothing understood) when the pick is not a command. */
export function intentOfPick(rules: ChatIntent, choices: readonly Choice[], pick: CommandPick): ModelParse {
  const choice = pick.index === undefined ? undefined : choices[pick.index];
  if (!choice?.concept || !choice.polarity) return { intent: rules, source: 'rules', raw: pick.raw };
  const intent = emptyIntent();
  setPolarity(intent, choice.concept, choice.polarity);
  return { intent, source: 'llm', raw: pick.raw };
}

/**
 * Parse `request` with the rules; if they understood nothing and `model` can be constrained, let
 * it pick one command from the closed set. Greedy, so the same request gives the same answer.
 */
export async function parseWithModel(
  model: LanguageModel,
  request: string,
  vocab: ChatVocabulary,
  signal?: AbortSignal,
): Promise<ModelParse> {
  const rules = parseRequest(request, vocab);
  if (!rulesNeedModel(rules) || !model.info.canConstrain || model.info.eos === null)
    return { intent: rules, source: 'rules' };
  const choices = commandChoices(vocab);
  const texts = choices.map((c) => c.text);
  return intentOfPick(rules, choices, await pickCommand(model, request, texts, signal));
}
