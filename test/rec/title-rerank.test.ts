/**
 * Re-ranking by prompting (PALR retrieval prompt, candidate titles scored): the fused order by hand,
 * the prompt shrinking to fit a small context, a named error when nothing fits, and the scores
 * equal to the model's own `score` on stories260K.
 */
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import type { LanguageModel } from '../../src/llm/language-model.ts';
import { promptWrapFor } from '../../src/rec/explain-prompt-wrap.ts';
import {
  fittingPrompt,
  rerankByTitle,
  retrievalPrompt,
  RerankPromptTooLongError,
} from '../../src/rec/title-rerank.ts';
import { noStories, storiesFile } from '../llm/stories-files.ts';

/** One token per character (BOS 1); `score` answers fixed log-probs by title and records its prompt. */
function titleScorer(logProbs: Record<string, number>, contextLength = 4096) {
  const prompts: string[] = [];
  const model = {
    info: { contextLength },
    encode: (text: string) => Int32Array.from([1, ...Array.from(text, (c) => c.charCodeAt(0) + 3)]),
    score: (prompt: string, continuations: readonly string[]) => {
      prompts.push(prompt);
      return Promise.resolve(
        continuations.map((c) => {
          const logProb = logProbs[c.trim()];
          return { logProb, meanLogProb: logProb, tokenCount: 1, tokens: [], tokenLogProbs: [] };
        }),
      );
    },
  };
  return { model: model as unknown as LanguageModel, prompts };
}

describe('re-ranking by title', () => {
  it('fuses z(SASRec) with log-softmax of the title log-probs (hand-computed)', async () => {
    // z(3,2,1) = (1, 0, −1); log-softmax(−3, −1, −2) = (−2.4076, −0.4076, −1.4076)
    // fused = (−1.4076, −0.4076, −2.4076) → B, A, C
    const { model, prompts } = titleScorer({ A: -3, B: -1, C: -2 });
    const r = await rerankByTitle(model, ['X', 'Y'], ['A', 'B', 'C'], [3, 2, 1]);
    expect(r.order).toEqual([1, 0, 2]);
    expect(r.llm).toEqual([-3, -1, -2]);
    expect(r.fused[0]).toBeCloseTo(-1.40761, 4);
    expect(r.fused[1]).toBeCloseTo(-0.40761, 4);
    expect(r.fused[2]).toBeCloseTo(-2.40761, 4);
    expect(prompts[0]).toBe(
      'A viewer watched these movies, oldest first: X; Y.\nCandidates: A; B; C.\n' +
        'Which candidate will they watch next? Answer with its title.\nNext movie:',
    );
    // with weight 0 the SASRec order stays
    expect((await rerankByTitle(model, ['X'], ['A', 'B', 'C'], [3, 2, 1], { weight: 0 })).order).toEqual([
      0, 1, 2,
    ]);
  });

  it('keeps fewer history titles, then leaves the candidate list out, to fit a small context', () => {
    const { model } = titleScorer({});
    const history = Array.from({ length: 12 }, (_, i) => `History title ${i}`);
    const candidates = ['Candidate one', 'Candidate two', 'Candidate three'];
    const big = fittingPrompt(model, 4096, history, candidates);
    expect(big).toMatchObject({ historyUsed: 10, listed: true });
    expect(big.prompt).toContain('History title 2; ');
    expect(big.prompt).not.toContain('History title 1;');
    const unlisted = retrievalPrompt(history.slice(-5), null); // the third variant
    const room = model.encode(unlisted).length + model.encode(' Candidate three').length;
    expect(fittingPrompt(model, room, history, candidates)).toMatchObject({ historyUsed: 5, listed: false });
    expect(() => fittingPrompt(model, 20, history, candidates)).toThrow(RerankPromptTooLongError);
  });

  it('puts the instruction in the user turn of a chat template', () => {
    const { model } = titleScorer({});
    const wrap = promptWrapFor(
      '{% for m in messages %}<|{{ m.role }}|>{{ m.content }}<|end|>{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}',
    );
    const { prompt } = fittingPrompt(model, 4096, ['X'], ['A'], wrap);
    expect(prompt).toBe(
      '<|user|>A viewer watched these movies, oldest first: X.\nCandidates: A.\n' +
        'Which candidate will they watch next? Answer with its title.<|end|><|assistant|>Next movie:',
    );
  });
});

describe.skipIf(noStories)('re-ranking by title with stories260K', () => {
  it('uses the model’s own log-likelihood of each title', async () => {
    const model = await loadOwnLanguageModel(
      { model: storiesFile('stories260K.gguf') },
      { ops: new CpuOps() },
    );
    const history = ['Toy Story', 'Jumanji'];
    const candidates = ['Heat', 'The Lion King', 'Up'];
    const r = await rerankByTitle(model, history, candidates, [0.5, 0.4, 0.3]);
    const direct = await model.score(retrievalPrompt(history, candidates), [
      ' Heat',
      ' The Lion King',
      ' Up',
    ]);
    expect(r.llm).toEqual(direct.map((s) => s.logProb));
    expect([...r.order].sort()).toEqual([0, 1, 2]);
    await model.dispose();
  });
});
