/**
 * Backend calibration for language models: the same model loaded on several backends (e.g. the
 * CPU and WebGPU) decodes a few greedy tokens on each; the fastest backend whose log-likelihoods
 * agree with the first candidate's (the reference, normally the CPU) wins. The figures are kept so
 * the page can say which backend it chose and why (on a CPU-emulated GPU such as SwiftShader the
 * WebGPU path is dispatch-bound and loses to the CPU by an order of magnitude).
 */
import { generateAll, type LanguageModel } from './language-model.ts';

/** No candidate survived calibration (each failed or disagreed with the reference). */
export class LanguageModelCalibrationError extends Error {
  override name = 'LanguageModelCalibrationError';
}

/** A loaded model to try; `name` is what the page shows ("cpu", "webgpu"). */
export interface LanguageModelCandidate {
  name: string;
  model: LanguageModel;
}

/** Measured figures of one candidate. */
export interface LanguageModelTiming {
  name: string;
  /** greedy decode speed after a warm-up; NaN when the candidate failed */
  tokensPerSecond: number;
  /** log-likelihood of the fixed continuation (compared with the reference); NaN on failure */
  logProb: number;
  /** why the candidate was not eligible */
  rejected?: string;
}

/** Result of `calibrateLanguageModels`. */
export interface LanguageModelCalibration {
  chosen: LanguageModelCandidate;
  /** every candidate's figures, in the order given */
  timings: LanguageModelTiming[];
  /** one sentence, e.g. "cpu 880 tok/s, webgpu 31 tok/s → cpu (fastest)" */
  summary: string;
}

/** Calibration knobs (defaults suit the page: well under a second on stories260K). */
export interface LanguageModelCalibrationOptions {
  /** prompt of the timed generation (default "Once upon a time") */
  prompt?: string;
  /** tokens decoded in the timed run (default 8) */
  tokens?: number;
  /** continuation whose log-likelihood is compared across backends (default " there was a cat") */
  continuation?: string;
  /** allowed |Δ logProb| relative to max(1, |reference|) (default 1e-3) */
  tolerance?: number;
  /** millisecond clock (default performance.now) */
  now?: () => number;
}

/** Times one candidate and scores the fixed continuation. */
async function measure(
  model: LanguageModel,
  o: Required<LanguageModelCalibrationOptions>,
): Promise<{ tokensPerSecond: number; logProb: number }> {
  await generateAll(model, o.prompt, { maxTokens: 2 }); // warm-up: pipelines, JIT, weights resident
  const started = o.now();
  const run = await generateAll(model, o.prompt, { maxTokens: o.tokens });
  const seconds = Math.max(o.now() - started, 1e-3) / 1000;
  const [scored] = await model.score(o.prompt, [o.continuation]);
  return { tokensPerSecond: run.tokenCount / seconds, logProb: scored.logProb };
}

/** Formats tokens per second for the summary line. */
const rate = (t: LanguageModelTiming): string =>
  t.rejected ? `${t.name} rejected (${t.rejected})` : `${t.name} ${t.tokensPerSecond.toFixed(0)} tok/s`;

/**
 * Measures every candidate and picks the fastest one that agrees with the first (the reference).
 * The caller disposes the models it does not keep.
 * @throws LanguageModelCalibrationError when no candidate is eligible
 */
export async function calibrateLanguageModels(
  candidates: readonly LanguageModelCandidate[],
  options: LanguageModelCalibrationOptions = {},
): Promise<LanguageModelCalibration> {
  const o: Required<LanguageModelCalibrationOptions> = {
    prompt: options.prompt ?? 'Once upon a time',
    tokens: options.tokens ?? 8,
    continuation: options.continuation ?? ' there was a cat',
    tolerance: options.tolerance ?? 1e-3,
    now: options.now ?? (() => performance.now()),
  };
  const timings: LanguageModelTiming[] = [];
  for (const { name, model } of candidates) {
    try {
      timings.push({ name, ...(await measure(model, o)) });
    } catch (error) {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      timings.push({ name, tokensPerSecond: NaN, logProb: NaN, rejected: why });
    }
  }
  const reference = timings[0];
  for (const t of timings.slice(1)) {
    const limit = o.tolerance * Math.max(1, Math.abs(reference.logProb));
    if (!t.rejected && !(Math.abs(t.logProb - reference.logProb) <= limit)) {
      t.rejected = `log-likelihood ${t.logProb.toFixed(4)} differs from ${reference.name}'s ${reference.logProb.toFixed(4)}`;
    }
  }
  const eligible = timings.filter((t) => !t.rejected);
  if (eligible.length === 0) {
    throw new LanguageModelCalibrationError(
      `No backend could run the model: ${timings.map(rate).join('; ')}. Try the CPU backend explicitly.`,
    );
  }
  const best = eligible.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
  const chosen = candidates[timings.indexOf(best)];
  return { chosen, timings, summary: `${timings.map(rate).join(', ')} → ${chosen.name} (fastest)` };
}
