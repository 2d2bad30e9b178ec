/**
 * The page's conversation: each turn is parsed against the catalog, merged into the running
 * intent, and applied to SASRec's top-CANDIDATES for the history (plus the "like …" anchors, as if
 * just watched); the reply says what was understood. Everything runs in the page. With the
 * language model on (`commandPicker`), a request the rules understood nothing of is given to the
 * model, which may only pick one command of a closed set (src/rec/chat/llm-parse.ts); the reply
 * then says that the model read it so.
 */
import type { CatalogItem } from '../../data/types.ts';
import { CancelledError } from '../../protocol/errors.ts';
import type { CatalogState } from '../../state/catalog.svelte.ts';
import type { RecommenderState } from '../../state/recommender.svelte.ts';
import { emptyIntent, isEmptyIntent, mergeIntents, type ChatIntent } from './intent.ts';
import { commandChoices, intentOfPick, rulesNeedModel, type ModelParse } from './llm-parse.ts';
import { parseRequest } from './parse.ts';
import type { CommandPicker } from '../../state/llm.svelte.ts';
import { refineCandidates, type Candidate, type Refined, type RefinedItem } from './refine.ts';
import { replyTo } from './reply.ts';
import { buildVocabulary, type ChatVocabulary } from './vocabulary.ts';

/** SASRec candidates the chat filters and re-ranks. */
export const CANDIDATES = 200;

/** One exchange. */
export interface ChatTurn {
  user: string;
  reply: string;
}

/** What the chat reads from the page. */
export interface ChatSources {
  catalog: CatalogState;
  history: { readonly keys: readonly string[] };
  recommender: Pick<RecommenderState, 'candidates' | 'status'>;
}

/** Reactive chat state (one per chat box). */
export class ChatState {
  turns = $state.raw<ChatTurn[]>([]);
  /** the conversation's intent so far */
  intent = $state.raw<ChatIntent>(emptyIntent());
  /** the refined list, best first; empty while nothing is asked */
  refined = $state.raw<RefinedItem[]>([]);
  busy = $state(false);
  /** the language model's constrained command pick (the page's switch); null → rules only */
  commandPicker: CommandPicker | null = null;
  readonly #sources: ChatSources;
  readonly #listLength: number;
  #vocab: { items: readonly CatalogItem[]; vocab: ChatVocabulary } | undefined;
  #generation = 0;

  /** `listLength`: refined items shown. */
  constructor(sources: ChatSources, listLength = 10) {
    this.#sources = sources;
    this.#listLength = listLength;
  }

  /** Parse `text`, update the list, and append the turn with its reply. */
  async send(text: string): Promise<void> {
    const parsed = await this.#parse(text);
    const total = mergeIntents(this.intent, parsed.intent);
    this.intent = total;
    const refined = await this.refresh();
    const reply = replyTo(total, refined);
    const note = parsed.source === 'llm' ? ` (the language model read this as “${parsed.raw}”)` : '';
    this.turns = [...this.turns, { user: text, reply: reply + note }];
  }

  /** The rules' reading of `text`; the model's pick from the closed set when the rules understood nothing. */
  async #parse(text: string): Promise<ModelParse> {
    const vocab = this.#vocabulary();
    const rules = parseRequest(text, vocab);
    const picker = this.commandPicker;
    if (!picker || !rulesNeedModel(rules)) return { intent: rules, source: 'rules' };
    const choices = commandChoices(vocab);
    return intentOfPick(
      rules,
      choices,
      await picker(
        text,
        choices.map((c) => c.text),
      ),
    );
  }

  /**
   * Re-apply the intent to fresh candidates (after a turn, or when the page re-ranked).
   * Returns undefined when nothing is asked, the page is still ranking, or a newer call won.
   */
  async refresh(): Promise<Refined | undefined> {
    const generation = ++this.#generation;
    const { catalog, history, recommender } = this.#sources;
    if (isEmptyIntent(this.intent) || recommender.status === 'ranking') {
      this.refined = [];
      return undefined;
    }
    this.busy = true;
    try {
      const anchors = this.intent.similarTo.map((item) => item.key);
      const ranked = await recommender.candidates([...history.keys, ...anchors], CANDIDATES);
      if (generation !== this.#generation) return undefined;
      const candidates: Candidate[] = ranked.flatMap(({ key, score }) => {
        const item = catalog.get(key);
        return item ? [{ item, score }] : [];
      });
      const refined = refineCandidates(candidates, this.intent, this.#listLength);
      this.refined = refined.items;
      return refined;
    } catch (error) {
      // the page's own re-rank superseded this request; the page calls refresh again afterwards
      if (error instanceof CancelledError) return undefined;
      throw error;
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }

  /** The vocabulary of the current catalog (rebuilt only when the catalog changes). */
  #vocabulary(): ChatVocabulary {
    const { items } = this.#sources.catalog;
    if (this.#vocab?.items !== items) {
      const preferred = this.#sources.catalog
        .popular(items.length)
        .flatMap((key) => this.#sources.catalog.get(key) ?? []);
      this.#vocab = { items, vocab: buildVocabulary(items, preferred) };
    }
    return this.#vocab.vocab;
  }
}
