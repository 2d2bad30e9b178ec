/**
 * Check a GGUF language model before anything large is allocated: the header (magic, version,
 * architecture, tensor types and extents) is parsed from the first megabytes with the runtime's
 * own reader, then the bytes the weights need are compared with the device's limits
 * (maxBufferSize / maxStorageBufferBindingSize of the WebGPU adapter) and a memory budget. What will
 * not fit is refused with the sizes and, when it would fit, a suggestion to use Q4_0.
 */
import { parseGguf, type GgufFile } from '../llm/load/gguf.ts';
import { GGUF_ARCHITECTURES, metaNumber } from '../llm/load/gguf-llama.ts';
import { ggmlTypeName, supportedType, typeBytes } from '../llm/load/gguf-types.ts';
import { GgufFormatError, UnsupportedArchitectureError } from '../llm/load/errors.ts';
import { LocalRecError } from '../protocol/errors.ts';
import { megabytes } from './errors.ts';

/** The model is valid but larger than this device can hold. */
export class ModelTooLargeError extends LocalRecError {
  override name = 'ModelTooLargeError';
}

/** Limits to check against; absent fields are not checked. */
export interface DeviceBudget {
  /** largest single buffer (GPUAdapter limits.maxBufferSize) */
  maxBufferSize?: number;
  /** memory the whole model may take (GPU or CPU), bytes */
  totalBytes: number;
}

/** What a GGUF file holds. */
export interface GgufSummary {
  arch: string;
  /** total parameter count */
  params: number;
  /** most common type of the 2-D weights, e.g. "Q4_0" */
  quant: string;
  layers: number;
  /** bytes of all tensors as stored */
  weightBytes: number;
  /** bytes of the largest tensor */
  largestTensorBytes: number;
}

/** A short line for the page, e.g. "llama, 109.5M params, Q4_0". */
export function describeGguf(s: Pick<GgufSummary, 'arch' | 'params' | 'quant' | 'layers'>): string {
  const params =
    s.params >= 1e9
      ? `${(s.params / 1e9).toFixed(2)}B`
      : s.params >= 1e6
        ? `${(s.params / 1e6).toFixed(1)}M`
        : `${(s.params / 1e3).toFixed(1)}K`;
  return `${s.arch}, ${params} params, ${s.quant}, ${s.layers} layers`;
}

function summarise(file: GgufFile, fileSize: number): GgufSummary {
  const arch = String(file.metadata.get('general.architecture'));
  if (!GGUF_ARCHITECTURES.some((a) => a === arch)) {
    throw new UnsupportedArchitectureError(
      `GGUF architecture is "${arch}"; LocalRec runs ${GGUF_ARCHITECTURES.join(' / ')} models (LLaMA, TinyLlama, SmolLM2, Qwen2)`,
    );
  }
  const embedding = file.tensors.get('token_embd.weight');
  if (!embedding || embedding.shape.length !== 2)
    throw new GgufFormatError('GGUF file has no 2-D "token_embd.weight" tensor');
  const layers = metaNumber(file, `${arch}.block_count`);
  const typeCounts = new Map<string, number>();
  let params = 0;
  let weightBytes = 0;
  let largest = 0;
  for (const info of file.tensors.values()) {
    const size = typeBytes(supportedType(info.typeId, info.name), info.count, info.name);
    if (info.offset + size > fileSize) {
      throw new GgufFormatError(
        `GGUF file is truncated: tensor "${info.name}" ends at byte ${info.offset + size} but the file has ${fileSize}; download it again`,
      );
    }
    params += info.count;
    weightBytes += size;
    largest = Math.max(largest, size);
    if (info.shape.length === 2) {
      const type = ggmlTypeName(info.typeId);
      typeCounts.set(type, (typeCounts.get(type) ?? 0) + 1);
    }
  }
  const quant = [...typeCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'F32';
  return { arch, params, quant, layers, weightBytes, largestTensorBytes: largest };
}

/** Bytes of a Q4_0 copy of `params` parameters (18 bytes per block of 32). */
function q4Bytes(params: number): number {
  return Math.ceil(params / 32) * 18;
}

/** Refuse a summary that does not fit `budget`, suggesting Q4_0 when that would fit. */
export function checkFits(s: GgufSummary, budget: DeviceBudget): void {
  const problems: string[] = [];
  if (s.weightBytes > budget.totalBytes) {
    problems.push(
      `its weights need ${megabytes(s.weightBytes)} but this device allows about ${megabytes(budget.totalBytes)}`,
    );
  }
  if (budget.maxBufferSize !== undefined && s.largestTensorBytes > budget.maxBufferSize) {
    problems.push(
      `its largest tensor needs ${megabytes(s.largestTensorBytes)} in one buffer but the GPU allows ${megabytes(budget.maxBufferSize)} (maxBufferSize)`,
    );
  }
  if (problems.length === 0) return;
  const q4 = q4Bytes(s.params);
  const advice =
    s.quant !== 'Q4_0' && q4 <= budget.totalBytes
      ? ` A Q4_0 quantisation of the same model (about ${megabytes(q4)}) would fit: \`npm run model:quantize -- --type q4_0\` or pick a Q4_0 GGUF.`
      : ' Pick a smaller model (fewer parameters) in Q4_0.';
  throw new ModelTooLargeError(
    `This ${describeGguf(s)} model will not fit: ${problems.join('; ')}.${advice}`,
  );
}

/** Parse the header from `readPrefix` (growing prefixes up to the whole file) and summarise it. */
export async function inspectGguf(
  readPrefix: (bytes: number) => Promise<Uint8Array>,
  fileSize: number,
): Promise<GgufSummary> {
  for (let want = Math.min(fileSize, 8 << 20); ; want = Math.min(fileSize, want * 4)) {
    try {
      return summarise(parseGguf(await readPrefix(want)), fileSize);
    } catch (error) {
      // a header longer than the prefix looks truncated (or its counts absurd): read more, unless that was everything
      if (!(error instanceof GgufFormatError) || want >= fileSize) throw error;
    }
  }
}
