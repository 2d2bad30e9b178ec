/**
 * A stand-in for web-llm's MLCEngine implementing only what the adapter calls
 * (`completions.create` streaming, `interruptGenerate`, `unload`), with web-llm's observable
 * behaviour: text chunks, `max_tokens` → finish "length", stop strings cut out → finish "stop",
 * interrupt → finish "abort", a final usage chunk with empty choices. No network, no GPU.
 */
import type { Completion, CompletionCreateParamsStreaming } from '@mlc-ai/web-llm';
import type { WebLlmEngineLike } from '../../src/llm/backends/web-llm.ts';

/** The text the fake "model" always continues with, one chunk per word. */
export const FAKE_SCRIPT = ' Lily was a happy girl. She liked to play with her big red ball in the park.';

function chunk(text: string, finish: Completion['choices'][number]['finish_reason']): Completion {
  return {
    id: 'fake',
    object: 'text_completion',
    created: 0,
    model: 'fake-model',
    choices: [{ index: 0, text, finish_reason: finish }],
  };
}

/** Fake engine; `requests` records every create() call, `unloaded` the unload. */
export class FakeWebLlmEngine implements WebLlmEngineLike {
  readonly requests: CompletionCreateParamsStreaming[] = [];
  unloaded = false;
  #interrupted = false;

  readonly completions = {
    create: (request: CompletionCreateParamsStreaming): Promise<AsyncIterable<Completion>> => {
      if (this.unloaded) return Promise.reject(new Error('fake engine: model unloaded'));
      this.requests.push(request);
      this.#interrupted = false;
      return Promise.resolve(this.#stream(request));
    },
  };

  interruptGenerate(): void {
    this.#interrupted = true;
  }

  unload(): Promise<void> {
    this.unloaded = true;
    return Promise.resolve();
  }

  async *#stream(request: CompletionCreateParamsStreaming): AsyncGenerator<Completion> {
    const words = FAKE_SCRIPT.split(/(?= )/); // [words] each with its leading space
    const stops = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
    const max = request.max_tokens ?? Infinity;
    let text = '';
    let finish: 'stop' | 'length' | 'abort' = 'stop';
    for (let i = 0; ; i++) {
      await Promise.resolve();
      if (this.#interrupted) finish = 'abort';
      else if (i >= max) finish = 'length';
      else if (i >= words.length) finish = 'stop';
      else {
        const next = text + words[i];
        const cut = Math.min(...stops.map((s) => next.indexOf(s)).filter((k) => k >= 0), Infinity);
        if (cut === Infinity) {
          text = next;
          yield chunk(words[i], null);
          continue;
        }
        if (cut > text.length) yield chunk(next.slice(text.length, cut), null);
        finish = 'stop';
      }
      yield chunk('', finish);
      break;
    }
    yield {
      ...chunk('', null),
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 0, total_tokens: 7 } as Completion['usage'],
    } as Completion;
  }
}
