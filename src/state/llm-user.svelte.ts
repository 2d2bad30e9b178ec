/**
 * A GGUF the user picked, dropped or downloaded in the Models panel (kept in the model store as
 * `gguf-<sha256 prefix>`, src/store/stored-gguf.ts) as the page's language model: the LLM worker
 * loads it from the store (`llm.load` with `storedModel`) with progress and Cancel, then writes a
 * short greedy sample from a fixed prompt as proof that it runs. LlmState then prompts it for the
 * re-rank, the explanations and the chat fallback (src/rec/prompted-handler.ts).
 */
import type { LlmLoadResult } from '../protocol/messages-llm.ts';
import { describeGguf } from '../store/gguf-check.ts';
import type { PageLlmClient } from './llm-worker.ts';

/** The fixed prompt of the proof sample, and its length in tokens (greedy). */
export const SAMPLE_PROMPT = 'Once upon a time';
export const SAMPLE_TOKENS = 24;

/** What the worker loaded. */
export interface UserModel extends LlmLoadResult {
  storedModel: string;
  /** the greedy continuation of SAMPLE_PROMPT */
  sample: string;
}

/** The "loaded: <name>, <arch, params, quant, layers>, <backend>" line. */
export function loadedLine(model: UserModel): string {
  const name = model.kept?.name ?? model.storedModel;
  const what = model.kept ? describeGguf(model.kept) : model.modelId;
  return `loaded: ${name}, ${what}, ${model.backend === 'webgpu' ? 'WebGPU' : 'CPU'} in the LLM worker`;
}

/** Reactive state of the user's own language model. */
export class UserLlmState {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  /** the worker's current loading stage */
  progress = $state<string | undefined>();
  error = $state<string | undefined>();
  model = $state.raw<UserModel | undefined>();
  readonly #client: () => PageLlmClient;
  #controller: AbortController | undefined;

  /** `client` starts (once) and returns the LLM worker's client. */
  constructor(client: () => PageLlmClient) {
    this.#client = client;
  }

  /** Load the kept GGUF `storedModel` in the LLM worker; true when it is now the model in use. */
  async load(storedModel: string): Promise<boolean> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const { signal } = controller;
    this.status = 'loading';
    this.error = undefined;
    try {
      const client = this.#client();
      const onProgress = (p: { stage: string; message?: string }) => (this.progress = p.message ?? p.stage);
      const loaded = await client.request('llm.load', { storedModel }, { signal, onProgress });
      // the worker now holds this model, whatever happens to the sample
      this.model = { ...loaded, storedModel, sample: '' };
      this.status = 'ready';
      this.progress = 'Writing a sample…';
      const { text } = await client.request('llm.generate', {
        prompt: SAMPLE_PROMPT,
        maxTokens: SAMPLE_TOKENS,
        temperature: 0,
      });
      this.model = { ...this.model, sample: text };
      return true;
    } catch (error) {
      if (signal.aborted) {
        // the worker keeps the model it had: so does the page
        this.status = this.model ? 'ready' : 'idle';
        if (this.#controller === controller)
          this.error = 'Cancelled; the language model loaded before stays in use.';
      } else {
        this.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.status = this.model ? 'ready' : 'error';
      }
      return false;
    } finally {
      if (this.#controller === controller) {
        this.progress = undefined;
        this.#controller = undefined;
      }
    }
  }

  /** Stop the running load (the model loaded before stays). */
  cancel(): void {
    this.#controller?.abort();
  }

  /**
   * Take the model out of the LLM worker ("Delete everything": its file is deleted from the store,
   * so it must not stay in use): a running load is cancelled, the worker disposes the model
   * (`llm.unload`). Resolves to the unloaded file's name, '' when none was loaded (the worker is not
   * started for nothing).
   */
  async unload(): Promise<string> {
    const running = this.#controller;
    this.#controller = undefined; // its cancel is not the "stays in use" kind
    running?.abort();
    const model = this.model;
    if (!model && !running) return '';
    await this.#client().request('llm.unload', {});
    this.model = undefined;
    this.status = 'idle';
    this.progress = undefined;
    this.error = undefined;
    return model ? (model.kept?.name ?? model.storedModel) : '';
  }
}
