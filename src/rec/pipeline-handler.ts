/**
 * The LLM worker's handlers for the rec-tuned model (RecLlmRequestMap): `rec.load` fetches a
 * llama-rec directory's manifest and GGUF from the page's origin (sha256 checked against the
 * manifest; the GGUF is kept in the model store as `gguf-<sha256 prefix>` and read from there on
 * later visits, src/rec/model-gguf.ts), builds the re-ranker (LlamaForward) and a LanguageModel for explanations on the CPU
 * (FastCpuOps: the model is 260K parameters, one forward of a ~110-token prompt);
 * `rec.rerank` runs src/rec/pipeline.ts on SASRec's candidates; `rec.explain` the constrained LLM
 * verbaliser (src/rec/explain-llm.ts) with the vocabulary sent by `rec.vocabulary`; `rec.command`
 * the chat parser's constrained fallback (src/rec/chat/llm-parse.ts pickCommand).
 */
import { z } from 'zod';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import type { Tensor } from '../gpu/ops.ts';
import { loadOwnLanguageModel } from '../llm/backends/own.ts';
import { LlamaForward } from '../llm/forward.ts';
import type { LanguageModel } from '../llm/language-model.ts';
import { InvalidRequestError, ModelNotLoadedError } from '../protocol/errors.ts';
import { fetchWithProgress, sameOriginUrl } from '../protocol/fetch-model.ts';
import { parsePayload } from '../protocol/payload.ts';
import type { Handlers } from '../protocol/rpc.ts';
import type { CatalogVocabulary } from './explain-check.ts';
import type { ExplanationFacts } from './explain-facts.ts';
import { llmExplanation } from './explain-llm.ts';
import { pickCommand } from './chat/llm-parse.ts';
import { parseRecManifest, RecManifestError, type RecManifest } from './item-tokens.ts';
import { LlmReranker } from './pipeline.ts';
import { itemModelLoadSchema, readItemTokenGguf, type RecLlmHandlerEnv } from './model-gguf.ts';
import type { RecLlmRequestMap } from './pipeline-protocol.ts';

export type { RecLlmHandlerEnv } from './model-gguf.ts';

/** KV-cache positions of the re-ranker and the verbaliser (prompts are ~110 tokens). */
const CAPACITY = 512;

const ids = z.array(z.number().int().positive()).min(1).max(1000);
const rerankSchema = z.object({
  history: ids,
  candidates: ids,
  scores: z.array(z.number()).min(1).max(1000),
});
/** Payload shape of `rec.vocabulary` (also `llm.vocabulary`, src/rec/prompted-handler.ts). */
export const vocabularySchema = z.object({ titles: z.array(z.string()), genres: z.array(z.string()) });
/** Payload shape of `rec.explain` (also `llm.explain`). */
export const explainSchema = z.object({
  // the facts are built by the page (explain-facts.ts); the shape the verbaliser reads is checked here
  facts: z.looseObject({
    itemId: z.number().int(),
    title: z.string(),
    drivers: z.array(z.looseObject({ itemId: z.number().int(), title: z.string() })),
    shared: z.array(
      z.looseObject({
        concept: z.object({ kind: z.enum(['genre', 'tag', 'decade']), label: z.string() }),
        drivers: z.array(z.number().int()),
        inProfile: z.boolean(),
      }),
    ),
  }),
  seed: z.number().int(),
});

/** Payload shape of `rec.command` (also `llm.command`). */
export const commandSchema = z.object({
  request: z.string().min(1).max(500),
  choices: z.array(z.string().min(1).max(100)).min(1).max(2000),
});

/** A loaded llama-rec model: re-ranker and verbaliser over the same GGUF. */
interface LoadedRec {
  manifest: RecManifest;
  reranker: LlmReranker<Tensor>;
  model: LanguageModel;
}

/** The rec handlers over one model slot. */
export function createRecLlmHandlers(env: RecLlmHandlerEnv): Handlers<RecLlmRequestMap> {
  let loaded: LoadedRec | undefined;
  let vocabulary: CatalogVocabulary = { titles: new Set(), genres: new Set() };
  const need = (kind: string): LoadedRec => {
    if (!loaded) throw new ModelNotLoadedError(`${kind} needs the rec-tuned model: send rec.load first.`);
    return loaded;
  };

  return {
    'rec.load': async (payload, ctx) => {
      const params = parsePayload('rec.load', itemModelLoadSchema, payload);
      const started = env.now();
      const manifestUrl = sameOriginUrl(env.origin, params.manifestUrl);
      const manifestBytes = await fetchWithProgress(env, manifestUrl, ctx.progress);
      const manifestText = new TextDecoder().decode(manifestBytes);
      const manifest = parseRecManifest(manifestText);
      if (manifest.sasrec !== params.sasrecId) {
        throw new RecManifestError(
          `${manifest.id} was tuned on ${manifest.sasrec}'s candidates, but the page ranks with ${params.sasrecId}; load ${manifest.sasrec} first`,
        );
      }
      const declared = (manifest as { default?: unknown }).default;
      const scheme = params.scheme ?? (declared === 'f32' || declared === 'q4_0' ? declared : 'q8_0');
      const { entry, gguf, from, file } = await readItemTokenGguf(
        env,
        { manifest, raw: JSON.parse(manifestText), scheme, manifestUrl },
        ctx,
        (message) => new RecManifestError(message),
      );
      const forward = new LlamaForward<Tensor>(new FastCpuOps(), file.weights, { capacity: CAPACITY });
      const model = await loadOwnLanguageModel(
        { model: gguf },
        { ops: new FastCpuOps(), capacity: CAPACITY },
      );
      await loaded?.model.dispose();
      loaded = { manifest, reranker: new LlmReranker(forward, manifest), model };
      return {
        modelId: manifest.id,
        sasrec: manifest.sasrec,
        candidates: manifest.candidates,
        historyTokens: manifest.historyTokens,
        file: entry.file,
        bytes: gguf.byteLength,
        from,
        backend: 'cpu',
        ms: env.now() - started,
      };
    },

    'rec.rerank': async (payload, ctx) => {
      const params = parsePayload('rec.rerank', rerankSchema, payload);
      const { reranker } = need('rec.rerank');
      if (params.scores.length !== params.candidates.length) {
        throw new InvalidRequestError(
          `rec.rerank got ${params.candidates.length} candidates but ${params.scores.length} scores; send one SASRec score per candidate.`,
        );
      }
      ctx.throwIfCancelled();
      const started = env.now();
      const reranked = await reranker.rerank(Int32Array.from(params.history), {
        ids: Int32Array.from(params.candidates), // [C]
        scores: Float32Array.from(params.scores), // [C]
      });
      return { ids: Array.from(reranked.ids), fused: Array.from(reranked.fused), ms: env.now() - started };
    },

    'rec.vocabulary': (payload) => {
      const params = parsePayload('rec.vocabulary', vocabularySchema, payload);
      vocabulary = { titles: new Set(params.titles), genres: new Set(params.genres) };
      return { titles: vocabulary.titles.size };
    },

    'rec.explain': async (payload, ctx) => {
      const { facts, seed } = parsePayload('rec.explain', explainSchema, payload);
      const { model, manifest } = need('rec.explain');
      const started = env.now();
      // checked above: the fields the verbaliser and its template fallback read
      const explanation = await llmExplanation(model, facts as unknown as ExplanationFacts, vocabulary, {
        seed,
        signal: ctx.signal,
        textVocab: manifest.baseVocab, // never the item tokens
      });
      ctx.throwIfCancelled();
      return { explanation, ms: env.now() - started };
    },

    'rec.command': async (payload, ctx) => {
      const { request, choices } = parsePayload('rec.command', commandSchema, payload);
      const { model } = need('rec.command');
      const started = env.now();
      const pick = await pickCommand(model, request, choices, ctx.signal);
      return { index: pick.index ?? null, raw: pick.raw, ms: env.now() - started };
    },
  };
}
