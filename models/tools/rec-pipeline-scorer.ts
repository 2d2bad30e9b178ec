/**
 * The sasrec+llm pipeline as an eval scorer: SASRec full scores (the engine the page runs) → top-C
 * candidates → the rec-tuned LLM (models/<llama-rec id>, GGUF on FastCpuOps) re-ranks them in one
 * forward pass → full scores with the re-ranked candidates first. Records the re-rank latency and
 * how often the target was among the candidates (the recall@C ceiling is computed by the caller).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import type { CpuTensor } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { parseRecManifest, RecManifestError, type RecManifest } from '../../src/rec/item-tokens.ts';
import { LlmReranker, pipelineFullScores, topCandidates } from '../../src/rec/pipeline.ts';
import type { Scorer } from './scorers.ts';

/** GGUF schemes a llama-rec model directory can hold. */
export type RecScheme = 'f32' | 'q8_0' | 'q4_0';

/** A loaded llama-rec model directory on FastCpuOps. */
export interface LoadedRecLlm {
  manifest: RecManifest;
  reranker: LlmReranker<CpuTensor>;
  file: string;
  bytes: number;
}

/** Loads models/<id> (manifest.json + the GGUF of `scheme`) onto FastCpuOps. */
export function loadRecLlm(dir: string, scheme: RecScheme): LoadedRecLlm {
  const manifest = parseRecManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const entry = manifest.files?.[scheme];
  if (!entry) {
    throw new RecManifestError(
      `${dir}/manifest.json lists no ${scheme} GGUF (has: ${Object.keys(manifest.files ?? {}).join(', ') || 'none'}); run npm run rec:package`,
    );
  }
  const bytes = new Uint8Array(readFileSync(join(dir, entry.file)));
  const loaded = loadLlamaFile(bytes, { keepQuantized: true });
  const expected = manifest.baseVocab + manifest.itemCount;
  if (loaded.weights.config.vocabSize !== expected) {
    throw new RecManifestError(
      `${entry.file} has ${loaded.weights.config.vocabSize} tokens; the manifest expects ${expected} (base + items)`,
    );
  }
  const model = new LlamaForward(new FastCpuOps(), loaded.weights, { capacity: 512 });
  return { manifest, reranker: new LlmReranker(model, manifest), file: entry.file, bytes: bytes.byteLength };
}

/** Latency and weight figures of a pipeline run. */
export interface PipelineStats {
  /** milliseconds of the LLM re-rank step per request, in call order */
  rerankMs: number[];
}

/** Wraps a SASRec scorer: every call re-ranks its top-C with the LLM (`weight` overrides the manifest's w). */
export function pipelineScorer(
  sasrec: Scorer,
  llm: LoadedRecLlm,
  weight?: number,
): { scorer: Scorer; stats: PipelineStats } {
  const stats: PipelineStats = { rerankMs: [] };
  const scorer: Scorer = {
    id: `${sasrec.id}+${llm.manifest.id}`,
    backendLabel: `${sasrec.backendLabel} + llm cpu (FastCpuOps, ${llm.file})`,
    async score(history) {
      const full = await sasrec.score(history); // [N + 1]
      const started = performance.now();
      const candidates = topCandidates(full, history, llm.manifest.candidates);
      const reranked = await llm.reranker.rerank(history, candidates, weight);
      stats.rerankMs.push(performance.now() - started);
      return pipelineFullScores(full, reranked);
    },
    dispose: () => sasrec.dispose(),
  };
  return { scorer, stats };
}
