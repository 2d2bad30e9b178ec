/**
 * A second SASRec backend: the model's ONNX export run by onnxruntime-web (wasm execution provider
 * by default), behind the same `rank()` shape as `SasrecSession`. It has no KV cache: every request
 * runs the whole window (`incremental` is always false). Used as a speed and parity peer.
 */
import * as ort from 'onnxruntime-web';
import { topKReference } from '../gpu/reference/top-k';
import { parseSasrecManifest, type SasrecManifest } from '../protocol/manifest';
import { excludedIds, lastWindow, validateHistory, type RankOptions, type RankResult } from './history';
import { ModelFormatError, verifyFileIntegrity, type FetchFile } from './weights';

/** Options for creating the ONNX session. */
export interface OnnxSasrecOptions {
  /** onnxruntime-web execution providers, in order of preference (default ['wasm']) */
  executionProviders?: string[];
  /** wasm threads (default 1: more need cross-origin isolation, i.e. COOP/COEP headers) */
  numThreads?: number;
  /** where the ort-wasm-*.wasm files are served from, when the bundler does not place them */
  wasmPaths?: string;
}

/** SASRec ranking on onnxruntime-web. */
export class OnnxSasrecSession {
  readonly manifest: SasrecManifest;
  readonly #session: ort.InferenceSession;
  readonly #io: { input: string; output: string; inputDtype: 'int64' | 'int32' };

  private constructor(manifest: SasrecManifest, session: ort.InferenceSession) {
    const onnx = manifest.onnx as NonNullable<SasrecManifest['onnx']>;
    this.manifest = manifest;
    this.#session = session;
    this.#io = { input: onnx.input, output: onnx.output, inputDtype: onnx.inputDtype };
  }

  /** Load manifest.json and the ONNX file it names (size + SHA-256 checked) through `fetchFile`. */
  static async load(fetchFile: FetchFile, options: OnnxSasrecOptions = {}): Promise<OnnxSasrecSession> {
    const manifest = parseSasrecManifest(new TextDecoder().decode(await fetchFile('manifest.json')));
    if (!manifest.onnx) {
      throw new ModelFormatError(
        `model "${manifest.id}" has no ONNX export (manifest.onnx); use the TensorOps backend`,
      );
    }
    const file = manifest.onnx.file;
    const expected = manifest.files[file];
    if (!expected)
      throw new ModelFormatError(`manifest.onnx.file "${file}" is not listed in "files" with its sha256`);
    const bytes = await fetchFile(file);
    await verifyFileIntegrity(file, bytes, expected);
    ort.env.wasm.numThreads = options.numThreads ?? 1;
    if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
    const session = await ort.InferenceSession.create(new Uint8Array(bytes), {
      executionProviders: options.executionProviders ?? ['wasm'],
    });
    for (const [kind, name, names] of [
      ['input', manifest.onnx.input, session.inputNames],
      ['output', manifest.onnx.output, session.outputNames],
    ] as const) {
      if (!names.includes(name)) {
        throw new ModelFormatError(
          `"${file}" has no ${kind} "${name}" (it has: ${names.join(', ')}); fix manifest.onnx`,
        );
      }
    }
    return new OnnxSasrecSession(manifest, session);
  }

  /** The top-k next items for `history` (oldest first, ids 1..itemCount); full window every time. */
  async rank(history: Int32Array, k: number, options: RankOptions = {}): Promise<RankResult> {
    const scores = await this.scores(history); // [itemCount + 1]
    const top = topKReference(scores, k, excludedIds(history, options.excludeHistory));
    const positionsComputed = Math.min(history.length, this.manifest.config.maxLen);
    return { ids: top.ids, scores: top.scores, incremental: false, positionsComputed };
  }

  /** Scores of every id [itemCount + 1] (id 0 = padding) for the last maxLen items of `history`. */
  async scores(history: Int32Array): Promise<Float32Array> {
    const { itemCount, maxLen } = this.manifest.config;
    validateHistory(history, itemCount);
    const window = lastWindow(history, maxLen); // [L ≤ maxLen]
    const ids = this.#io.inputDtype === 'int64' ? BigInt64Array.from(window, (id) => BigInt(id)) : window;
    const input = new ort.Tensor(this.#io.inputDtype, ids, [1, window.length]); // [1, L]
    const outputs = await this.#session.run({ [this.#io.input]: input });
    const scores = outputs[this.#io.output]; // [1, itemCount + 1]
    if (scores.type !== 'float32' || scores.size !== itemCount + 1) {
      throw new ModelFormatError(
        `ONNX output ${this.#io.output} is ${scores.type} [${scores.dims}]; expected float32 [1, ${itemCount + 1}]`,
      );
    }
    const values = (scores.data as Float32Array).slice(); // [itemCount + 1]
    scores.dispose();
    return values;
  }

  /** Free the onnxruntime session. */
  async dispose(): Promise<void> {
    await this.#session.release();
  }
}
