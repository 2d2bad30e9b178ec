/**
 * A hand-built LanguageModel for verbaliser tests: one token per character (id = code + 3, BOS 1,
 * EOS 2) that always wants to write `script`; when a step's allowedTokens mask excludes the
 * character it wants, it takes the lowest allowed id (a model "trying" to name something else). It
 * stops when its signal is aborted, and records how many tokens each call generated.
 */
import type {
  LanguageModel,
  LanguageModelGenerateOptions,
  LanguageModelGeneration,
  LanguageModelToken,
} from '../../src/llm/language-model.ts';

const OFFSET = 3;

/** A fake model writing `script` (per attempt: scripts[attempt % scripts.length]). */
export function scriptedModel(
  scripts: readonly string[],
  canConstrain = true,
): LanguageModel & { prompts: string[]; generated: number[] } {
  const prompts: string[] = [];
  const generated: number[] = [];
  let calls = 0;
  return {
    prompts,
    generated,
    info: {
      id: 'fake',
      backend: 'cpu',
      contextLength: 4096,
      vocabSize: 300,
      bos: 1,
      eos: 2,
      canScore: false,
      canConstrain,
    },
    encode: (text) => Int32Array.from([1, ...Array.from(text, (c) => c.charCodeAt(0) + OFFSET)]),
    async *generate(
      prompt: string,
      options: LanguageModelGenerateOptions,
    ): AsyncGenerator<LanguageModelToken, LanguageModelGeneration, void> {
      prompts.push(prompt);
      const script = scripts[calls++ % scripts.length];
      const ids: number[] = [];
      let text = '';
      generated.push(0);
      for (let step = 0; step < Math.min(options.maxTokens, script.length); step++) {
        if (options.signal?.aborted)
          return { text, tokenIds: ids, tokenCount: ids.length, stopReason: 'aborted', promptTokens: null };
        generated[generated.length - 1]++;
        const wanted = script.charCodeAt(step) + OFFSET;
        const allowed = options.allowedTokens?.(ids) ?? null;
        const id = allowed === null || allowed.includes(wanted) ? wanted : Math.min(...allowed);
        ids.push(id);
        const piece = String.fromCharCode(id - OFFSET);
        text += piece;
        yield { id, text: piece };
      }
      return { text, tokenIds: ids, tokenCount: ids.length, stopReason: 'max-tokens', promptTokens: null };
    },
    score: () => Promise.reject(new Error('fake model does not score')),
    dispose: () => Promise.resolve(),
  };
}
