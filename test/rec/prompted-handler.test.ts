/**
 * The prompted handlers (a GGUF the user loaded, no item tokens) with hand-built models in the
 * shared slot: explanations go through the model's chat template and the same post-check (a text
 * naming a title that is not a fact falls back to the template sentence, labelled), the chat
 * command is picked from the closed set, the re-rank answers candidate indices, and bad input or a
 * missing model is named.
 */
import { describe, expect, it } from 'vitest';
import type { LanguageModel } from '../../src/llm/language-model.ts';
import { InvalidRequestError, ModelNotLoadedError } from '../../src/protocol/errors.ts';
import { LlmSlot } from '../../src/protocol/llm-handler.ts';
import type { HandlerContext } from '../../src/protocol/rpc.ts';
import { catalogVocabulary, checkExplanation } from '../../src/rec/explain-check.ts';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { createPromptedHandlers } from '../../src/rec/prompted-handler.ts';
import { TINY_CATALOG } from './catalog-fixture.ts';
import { scriptedModel } from './fake-language-model.ts';

const TEMPLATE =
  '{% for m in messages %}<|{{ m.role }}|>{{ m.content }}<|end|>{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}';
const vocabulary = catalogVocabulary(TINY_CATALOG);
const facts: ExplanationFacts = {
  itemId: 3,
  title: 'Galaxy Quest',
  drivers: [{ itemId: 7, title: 'Spaceballs', index: 2, drop: 0.5, attention: 1 }],
  attention: [{ itemId: 7, title: 'Spaceballs', weight: 1 }],
  occlusion: [{ itemId: 7, title: 'Spaceballs', drop: 0.5 }],
  shared: [{ concept: { kind: 'genre', label: 'Comedy' }, drivers: [7], inProfile: true }],
  profileLine: 'You watch Comedy.',
};
const ctx: HandlerContext = {
  signal: new AbortController().signal,
  progress: () => undefined,
  throwIfCancelled: () => undefined,
};

/** Handlers over a slot holding `model` (with the chat template above). */
async function withModel(model: LanguageModel) {
  const slot = new LlmSlot();
  slot.loaded = { model, backend: 'cpu' };
  slot.chatTemplate = TEMPLATE;
  const h = createPromptedHandlers(slot, () => 0);
  await h['llm.vocabulary']({ titles: [...vocabulary.titles], genres: [...vocabulary.genres] }, ctx);
  return h;
}

describe('prompted handlers (a user-loaded model)', () => {
  it('explains through the chat template and keeps only checked text', async () => {
    const model = scriptedModel(['Spaceballs] and this share [Comedy].']);
    const h = await withModel(model);
    const { explanation } = await h['llm.explain']({ facts, seed: 1 }, ctx);
    expect(explanation).toMatchObject({
      source: 'llm',
      text: 'Because you watched Spaceballs and this share Comedy.',
    });
    expect(model.prompts[0]).toBe(
      '<|user|>Movie: Galaxy Quest.\nYou watched: Spaceballs.\nIn common: Comedy.\n' +
        'Write one sentence; put every movie title and genre in [brackets].<|end|><|assistant|>Because you watched [',
    );
  });

  it('falls back to the template sentence when every attempt names a non-fact', async () => {
    // "Clueless" is a catalog title but no fact of this item: rejected by the post-check each time
    const h = await withModel(scriptedModel(['Spaceballs], like Clueless.']));
    const { explanation } = await h['llm.explain']({ facts, seed: 1 }, ctx);
    expect(explanation.source).toBe('template');
    expect(explanation.attempts).toBe(3);
    expect(explanation.rejected.flat().join(' ')).toMatch(/Clueless/);
    expect(checkExplanation(explanation.text, facts, vocabulary).ok).toBe(true);
  });

  it('picks a chat command from the closed set only', async () => {
    const model = scriptedModel(['no [Horror]~~']);
    const h = await withModel(model);
    const choices = ['nothing', 'more [Comedy]', 'no [Horror]'];
    const pick = await h['llm.command']({ request: 'too scary for me', choices }, ctx);
    expect(pick.index).toBe(2);
    expect(pick.raw.startsWith('no [Horror]')).toBe(true);
    expect(model.prompts[0]).toMatch(
      /^<\|user\|>Turn each movie request.*Request: too scary for me<\|end\|><\|assistant\|>Command:$/s,
    );
  });

  it('names a missing model and bad re-rank input', async () => {
    const h = createPromptedHandlers(new LlmSlot(), () => 0);
    const rerank = { history: ['Alien'], candidates: ['Heat', 'Scream'], scores: [1, 0] };
    await expect(h['llm.rerank'](rerank, ctx)).rejects.toBeInstanceOf(ModelNotLoadedError);
    await expect(h['llm.explain']({ facts, seed: 0 }, ctx)).rejects.toBeInstanceOf(ModelNotLoadedError);
    const loaded = await withModel(scriptedModel(['x']));
    await expect(loaded['llm.rerank']({ ...rerank, scores: [1] }, ctx)).rejects.toThrow(
      /2 candidates but 1 scores/,
    );
    await expect(loaded['llm.rerank']({ ...rerank, candidates: [] }, ctx)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });
});
