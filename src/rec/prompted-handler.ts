/**
 * The LLM worker's handlers for a model the user loaded with `llm.load` (PromptedLlmRequestMap):
 * they use the model in the shared LlmSlot and prompt it through its own chat template
 * (explain-prompt-wrap.ts). Explanations are the same constrained verbaliser with post-check and
 * template fallback as the rec-tuned model's (explain-llm.ts); the chat fallback is the same
 * closed-set command pick (chat/llm-parse.ts); re-ranking scores candidate titles (title-rerank.ts).
 */
import { z } from 'zod';
import { InvalidRequestError } from '../protocol/errors.ts';
import type { LlmSlot } from '../protocol/llm-handler.ts';
import { parsePayload } from '../protocol/payload.ts';
import type { Handlers } from '../protocol/rpc.ts';
import { pickCommand } from './chat/llm-parse.ts';
import type { CatalogVocabulary } from './explain-check.ts';
import type { ExplanationFacts } from './explain-facts.ts';
import { llmExplanation } from './explain-llm.ts';
import { promptWrapFor } from './explain-prompt-wrap.ts';
import { commandSchema, explainSchema, vocabularySchema } from './pipeline-handler.ts';
import { PROMPTED_HISTORY_TITLES, type PromptedLlmRequestMap } from './prompted-protocol.ts';
import { rerankByTitle } from './title-rerank.ts';

const titles = z.array(z.string().min(1).max(500));
const rerankSchema = z.object({
  history: titles.min(1).max(PROMPTED_HISTORY_TITLES),
  candidates: titles.min(1).max(200),
  scores: z.array(z.number()).min(1).max(200),
});

/** The prompted handlers over `slot` (filled by `llm.load`); `now` is a milliseconds clock. */
export function createPromptedHandlers(slot: LlmSlot, now: () => number): Handlers<PromptedLlmRequestMap> {
  let vocabulary: CatalogVocabulary = { titles: new Set(), genres: new Set() };
  const use = (kind: string) => ({ ...slot.need(kind), wrap: promptWrapFor(slot.chatTemplate) });

  return {
    'llm.rerank': async (payload, ctx) => {
      const params = parsePayload('llm.rerank', rerankSchema, payload);
      if (params.scores.length !== params.candidates.length) {
        throw new InvalidRequestError(
          `llm.rerank got ${params.candidates.length} candidates but ${params.scores.length} scores; send one SASRec score per candidate.`,
        );
      }
      const { model, wrap } = use('llm.rerank');
      const started = now();
      const r = await rerankByTitle(model, params.history, params.candidates, params.scores, {
        wrap,
        signal: ctx.signal,
      });
      return {
        order: r.order,
        llm: r.llm,
        historyUsed: r.historyUsed,
        listed: r.listed,
        ms: now() - started,
      };
    },

    'llm.vocabulary': (payload) => {
      const params = parsePayload('llm.vocabulary', vocabularySchema, payload);
      vocabulary = { titles: new Set(params.titles), genres: new Set(params.genres) };
      return { titles: vocabulary.titles.size };
    },

    'llm.explain': async (payload, ctx) => {
      const { facts, seed } = parsePayload('llm.explain', explainSchema, payload);
      const { model, wrap } = use('llm.explain');
      const started = now();
      // checked by explainSchema: the fields the verbaliser and its template fallback read
      const explanation = await llmExplanation(model, facts as unknown as ExplanationFacts, vocabulary, {
        seed,
        signal: ctx.signal,
        wrap,
      });
      ctx.throwIfCancelled();
      return { explanation, ms: now() - started };
    },

    'llm.command': async (payload, ctx) => {
      const { request, choices } = parsePayload('llm.command', commandSchema, payload);
      const { model, wrap } = use('llm.command');
      const started = now();
      const pick = await pickCommand(model, request, choices, ctx.signal, wrap);
      return { index: pick.index ?? null, raw: pick.raw, ms: now() - started };
    },
  };
}
