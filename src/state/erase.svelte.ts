/**
 * The "Delete everything" button's state: after the user confirms, a GGUF of the user's leaves the
 * LLM worker and the page goes back to the default model (when the user's own was in use), then the
 * history, the stored models, the settings and the storage containers are deleted
 * (src/store/erase.ts). The result line says what
 * was removed; every part that failed is named with its error.
 */
import {
  dropStorageContainers,
  eraseEverything,
  eraseLine,
  type ContainerEnvironment,
  type ErasePart,
} from '../store/erase.ts';
import type { HistoryState } from './history.svelte.ts';
import type { LlmState } from './llm.svelte.ts';
import type { ModelsState } from './model-store.svelte.ts';

/** The confirmation question. */
export const ERASE_QUESTION =
  'Delete everything LocalRec keeps in this browser: your history, your settings and every stored model? This cannot be undone.';

/** What "Delete everything" removes. */
export interface EraseDeps {
  history: Pick<HistoryState, 'erase'>;
  /** the Models panel (absent where the page keeps no models) */
  models?: Pick<ModelsState, 'ensureDefault' | 'eraseStore' | 'eraseSettings'>;
  /** the language model (absent where the page has none): a GGUF of the user's is unloaded first */
  llm?: Pick<LlmState, 'unloadUserModel'>;
  /** the browser's storage APIs (window.caches, window.indexedDB) */
  containers: ContainerEnvironment;
  /** asks the user; false = nothing is deleted */
  confirm: (question: string) => boolean;
}

/** "3 items", '' for none (the result line leaves out what was empty). */
const counted = (n: number, one: string) => (n === 0 ? '' : `${n} ${one}${n === 1 ? '' : 's'}`);

/** Reactive state of the "Delete everything" button. */
export class EraseState {
  running = $state(false);
  /** the last result line ("Deleted: …") */
  line = $state<string | undefined>();
  /** the parts that failed, "what: Name: message" */
  failed = $state.raw<string[]>([]);
  readonly #deps: EraseDeps;

  constructor(deps: EraseDeps) {
    this.#deps = deps;
  }

  /** Ask, then delete everything; false when the user said no (nothing is touched). */
  async run(): Promise<boolean> {
    if (this.running || !this.#deps.confirm(ERASE_QUESTION)) return false;
    this.running = true;
    try {
      // no refresh of the Models panel afterwards: it would open the store again (it refreshed itself when emptied)
      const report = await eraseEverything(this.#parts());
      this.line = eraseLine(report);
      this.failed = report.failed;
    } finally {
      this.running = false;
    }
    return true;
  }

  #parts(): ErasePart[] {
    const { history, models, llm, containers } = this.#deps;
    const parts: ErasePart[] = [{ what: 'history', run: async () => counted(await history.erase(), 'item') }];
    if (models) {
      // first: the default model in memory, so the page still ranks once its files are gone
      parts.unshift({
        what: 'your model choice',
        run: () => models.ensureDefault(),
      });
      parts.push(
        { what: 'stored models', run: async () => (await models.eraseStore()).join(', ') },
        { what: 'settings', run: async () => counted(await models.eraseSettings(), 'record') },
      );
    }
    // before all: a GGUF of the user's in the LLM worker (its file goes with the stored models)
    if (llm) parts.unshift({ what: 'your language model', run: () => llm.unloadUserModel() });
    parts.push({ what: 'browser storage', run: () => dropStorageContainers(containers) });
    return parts;
  }
}
