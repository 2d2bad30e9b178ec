/**
 * The LLM worker's handlers for the page's interest model (InterestRequestMap, src/rec/interest-protocol.ts):
 * `interest.load` fetches a llama-interest directory's manifest and GGUF from the page's origin (sha256
 * checked; kept in the model store like the rec-tuned model's, src/rec/model-gguf.ts) and builds
 * the model on the CPU (FastCpuOps: 260K parameters, one ~25-token prompt per item);
 * `interest.score` answers TALLRec's question for each item: P(yes) that a user whose history is `history`
 * (every item liked: the page's history holds the movies the user added) likes it (src/rec/interest.ts).
 */
import { z } from 'zod';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import type { Tensor } from '../gpu/ops.ts';
import { LlamaForward } from '../llm/forward.ts';
import { ModelNotLoadedError } from '../protocol/errors.ts';
import { fetchWithProgress, sameOriginUrl } from '../protocol/fetch-model.ts';
import { parsePayload } from '../protocol/payload.ts';
import type { Handlers } from '../protocol/rpc.ts';
import { interest, InterestManifestError, type RatedItem } from './interest.ts';
import {
  parseInterestPageManifest,
  type InterestPageManifest,
  type InterestRequestMap,
} from './interest-protocol.ts';
import { itemModelLoadSchema, readItemTokenGguf, type RecLlmHandlerEnv } from './model-gguf.ts';

/** A rating that marks a history item liked in the prompt (any rating above interest.ts LIKED_ABOVE). */
const LIKED_RATING = 5;
/** KV-cache positions: BOS + frames + 2 tokens per history item + target (~40 with 10 items). */
const CAPACITY = 128;

const ids = z.array(z.number().int().positive());
const scoreSchema = z.object({ history: ids.min(1).max(10_000), items: ids.min(1).max(200) });

/** The interest handlers over one model slot. */
export function createInterestHandlers(env: RecLlmHandlerEnv): Handlers<InterestRequestMap> {
  let loaded: { manifest: InterestPageManifest; forward: LlamaForward<Tensor> } | undefined;

  return {
    'interest.load': async (payload, ctx) => {
      const params = parsePayload('interest.load', itemModelLoadSchema, payload);
      const started = env.now();
      const manifestUrl = sameOriginUrl(env.origin, params.manifestUrl);
      const raw: unknown = JSON.parse(
        new TextDecoder().decode(await fetchWithProgress(env, manifestUrl, ctx.progress)),
      );
      const manifest = parseInterestPageManifest(raw);
      if (manifest.sasrec !== params.sasrecId) {
        throw new InterestManifestError(
          `${manifest.id}'s item tokens are ${manifest.sasrec}'s items, but the page ranks with ${params.sasrecId}; load ${manifest.sasrec} first`,
        );
      }
      const { entry, gguf, from, file } = await readItemTokenGguf(
        env,
        { manifest, raw, scheme: params.scheme ?? manifest.default ?? 'q8_0', manifestUrl },
        ctx,
        (message) => new InterestManifestError(message),
      );
      loaded = {
        manifest,
        forward: new LlamaForward<Tensor>(new FastCpuOps(), file.weights, { capacity: CAPACITY }),
      };
      return {
        modelId: manifest.id,
        file: entry.file,
        bytes: gguf.byteLength,
        from,
        historyItems: manifest.historyItems,
        testAuc: manifest.testAuc,
        testAucAllLiked: manifest.testAucAllLiked,
        ms: env.now() - started,
      };
    },

    'interest.score': async (payload, ctx) => {
      const params = parsePayload('interest.score', scoreSchema, payload);
      if (!loaded)
        throw new ModelNotLoadedError('interest.score needs the interest model: send interest.load first.');
      const { manifest, forward } = loaded;
      const started = env.now();
      const history: RatedItem[] = params.history
        .slice(-manifest.historyItems)
        .map((item) => ({ item, rating: LIKED_RATING }));
      const pYes: number[] = [];
      for (const item of params.items) {
        ctx.throwIfCancelled();
        pYes.push(await interest(forward, manifest, history, item));
      }
      return { pYes, ms: env.now() - started };
    },
  };
}
