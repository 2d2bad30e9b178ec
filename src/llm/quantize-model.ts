/**
 * A LLaMA model (LlamaWeights + vocabulary) → GGUF "llama" file, with a chosen ggml type per
 * tensor and the max abs error each tensor picked up. Used by `npm run model:quantize` and
 * `npm run model:merge` (models/tools).
 *
 * Policy (`quantizeLlama`): RMSNorm weights stay F32 (tiny, and sensitive); the 2-D layer matrices
 * take the scheme (Q8_0 or Q4_0); the token embedding and the output head take `embeddings`
 * (default Q8_0, as they carry every token: Q4_0 there costs more quality than it saves, which is
 * also why llama.cpp keeps the output head at higher precision). A matrix whose rows are not whole
 * 32-value blocks (e.g. stories260K's ffn_down, 172 columns) stays F32 and the report says so.
 */
import { headDim, type LlamaConfig } from './config.ts';
import { layerShapes, type LlamaLayerWeights, type LlamaWeights } from './weights.ts';
import { LAYER_TENSORS } from './load/gguf-llama.ts';
import { dequantize, type GgmlType } from './load/gguf-types.ts';
import { writeGguf, type GgufMetaValue, type GgufTensorToWrite } from './load/gguf-write.ts';
import { metadataForWriting } from './load/gguf-write-metadata.ts';
import { parseGguf } from './load/gguf.ts';
import { UnsupportedArchitectureError } from './load/errors.ts';
import { isGguf, loadLlamaFile } from './load/model-file.ts';
import { readLlama2cTokenizer, type Vocabulary } from './load/tokenizer-files.ts';
import { encodeTensor, maxAbsDifference } from './quant.ts';

/** What a tensor is, for choosing its type. */
export type TensorRole = 'norm' | 'matrix' | 'embedding';

/** One written tensor: its type and the largest |original − stored| over its values. */
export interface TensorReport {
  name: string;
  shape: number[];
  type: GgmlType;
  maxAbsError: number;
  /** why the requested type was not used, if it was not */
  note?: string;
}

/** llama.cpp's general.file_type ids of the files we write. */
const FILE_TYPES: Record<GgmlType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 };

/** GGUF "llama" metadata for `config` (+ the embedded vocabulary when given). */
export function llamaGgufMetadata(
  config: LlamaConfig,
  vocabulary: Vocabulary | null,
  fileType: GgmlType,
  name = 'localrec',
): [string, GgufMetaValue][] {
  const u32 = (value: number): GgufMetaValue => ({ type: 'u32', value });
  const meta: [string, GgufMetaValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: name }],
    ['general.file_type', u32(FILE_TYPES[fileType])],
    ['general.quantization_version', u32(2)],
    ['llama.context_length', u32(config.contextLength)],
    ['llama.embedding_length', u32(config.dim)],
    ['llama.block_count', u32(config.layers)],
    ['llama.feed_forward_length', u32(config.hiddenDim)],
    ['llama.rope.dimension_count', u32(headDim(config))],
    ['llama.attention.head_count', u32(config.heads)],
    ['llama.attention.head_count_kv', u32(config.kvHeads)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: config.normEps }],
    ['llama.rope.freq_base', { type: 'f32', value: config.ropeTheta }],
  ];
  if (vocabulary) {
    meta.push(
      ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
      [
        'tokenizer.ggml.tokens',
        {
          type: 'array',
          itemType: 'string',
          items: vocabulary.pieces.map((p) => p.replaceAll(' ', '\u2581')),
        },
      ],
      ['tokenizer.ggml.scores', { type: 'array', itemType: 'f32', items: vocabulary.scores }],
      [
        'tokenizer.ggml.token_type',
        { type: 'array', itemType: 'i32', items: Int32Array.from(vocabulary.kinds) },
      ],
      ['tokenizer.ggml.bos_token_id', u32(vocabulary.bos)],
      ['tokenizer.ggml.eos_token_id', u32(vocabulary.eos)],
      ['tokenizer.ggml.unknown_token_id', u32(vocabulary.unk)],
    );
  }
  return meta;
}

/** A model tensor by GGUF name. */
export interface NamedTensor {
  name: string;
  shape: number[];
  role: TensorRole;
  values: Float32Array; // [product of shape]
}

/** Every tensor of `w` with its GGUF name, row-major shape and role. */
export function llamaTensors(w: LlamaWeights): NamedTensor[] {
  const c = w.config;
  if (c.neoxRope || w.attentionBiases) {
    throw new UnsupportedArchitectureError(
      'this writer produces GGUF "llama" files; qwen2 models (NEOX rope, q/k/v biases) cannot be re-written yet',
    );
  }
  const out: NamedTensor[] = [
    { name: 'token_embd.weight', shape: [c.vocabSize, c.dim], role: 'embedding', values: w.tokenEmbedding },
    { name: 'output_norm.weight', shape: [c.dim], role: 'norm', values: w.finalNorm },
  ];
  if (w.classifier)
    out.push({ name: 'output.weight', shape: [c.vocabSize, c.dim], role: 'embedding', values: w.classifier });
  if (c.ropeFactors) {
    // scaled RoPE travels as llama.cpp's per-pair divisors [headDim/2]
    out.push({
      name: 'rope_freqs.weight',
      shape: [c.ropeFactors.length],
      role: 'norm',
      values: c.ropeFactors,
    });
  }
  const shapes = layerShapes(c);
  w.layers.forEach((layer, i) => {
    for (const key of Object.keys(LAYER_TENSORS) as (keyof LlamaLayerWeights)[]) {
      const role: TensorRole = key === 'attnNorm' || key === 'ffnNorm' ? 'norm' : 'matrix';
      out.push({
        name: `blk.${i}.${LAYER_TENSORS[key]}.weight`,
        shape: [...shapes[key]],
        role,
        values: layer[key],
      });
    }
  });
  return out;
}

/** Encodes every tensor with `typeFor(role)` (F32 where blocks do not fit) and writes the file. */
export function writeLlamaGguf(
  weights: LlamaWeights,
  metadata: [string, GgufMetaValue][],
  typeFor: (role: TensorRole) => GgmlType,
): { bytes: Uint8Array; reports: TensorReport[] } {
  const reports: TensorReport[] = [];
  const tensors: GgufTensorToWrite[] = llamaTensors(weights).map(({ name, shape, role, values }) => {
    const wanted = typeFor(role);
    const blocked = wanted === 'Q8_0' || wanted === 'Q4_0';
    const fits = !blocked || shape[shape.length - 1] % 32 === 0;
    const type = fits ? wanted : 'F32';
    const bytes = encodeTensor(type, values);
    const maxAbsError = type === 'F32' ? 0 : maxAbsDifference(values, dequantize(type, bytes, values.length));
    const note = fits
      ? undefined
      : `${shape[shape.length - 1]} columns are not whole ${wanted} blocks of 32: kept F32`;
    reports.push({ name, shape, type, maxAbsError, ...(note ? { note } : {}) });
    return { name, shape, type, bytes };
  });
  return { bytes: writeGguf(metadata, tensors), reports };
}

/** Quantisation scheme of the layer matrices. */
export type QuantScheme = 'q8_0' | 'q4_0';

/** Type of the token embedding / output head: F32, Q8_0 (default) or the scheme's own type. */
export type EmbeddingPolicy = 'f32' | 'q8_0' | 'scheme';

/** The type each role gets under `scheme` and `embeddings` (see the file comment). */
export function quantPlan(
  scheme: QuantScheme,
  embeddings: EmbeddingPolicy = 'q8_0',
): (role: TensorRole) => GgmlType {
  const matrix: GgmlType = scheme === 'q8_0' ? 'Q8_0' : 'Q4_0';
  const embedding: GgmlType = embeddings === 'f32' ? 'F32' : embeddings === 'q8_0' ? 'Q8_0' : matrix;
  return (role) => (role === 'norm' ? 'F32' : role === 'matrix' ? matrix : embedding);
}

/** Metadata of an input GGUF re-used for the output: alignment dropped, file type updated. */
export function carriedMetadata(
  source: [string, GgufMetaValue][],
  fileType: GgmlType,
): [string, GgufMetaValue][] {
  const kept = source.filter(([key]) => key !== 'general.alignment' && key !== 'general.file_type');
  return [...kept, ['general.file_type', { type: 'u32', value: FILE_TYPES[fileType] }]];
}

/**
 * Metadata for re-writing the model file `input`: a GGUF's own metadata (types kept), or for a
 * llama2.c `.bin` the llama keys plus the vocabulary of `tokenizer` (a llama2.c tokenizer file).
 */
export function metadataFor(
  input: Uint8Array,
  weights: LlamaWeights,
  fileType: GgmlType,
  tokenizer?: Uint8Array,
): [string, GgufMetaValue][] {
  if (isGguf(input)) return carriedMetadata(metadataForWriting(parseGguf(input)), fileType);
  const vocabulary = tokenizer ? readLlama2cTokenizer(tokenizer, weights.config.vocabSize) : null;
  return llamaGgufMetadata(weights.config, vocabulary, fileType);
}

/** Options of `quantizeModelFile`. */
export interface QuantizeFileOptions {
  scheme: QuantScheme;
  embeddings?: EmbeddingPolicy;
  /** llama2.c tokenizer to embed when the input is a `.bin` */
  tokenizer?: Uint8Array;
}

/** A GGUF or llama2.c model file → the quantized GGUF and per-tensor reports. */
export function quantizeModelFile(
  input: Uint8Array,
  options: QuantizeFileOptions,
): { bytes: Uint8Array; reports: TensorReport[] } {
  const { weights } = loadLlamaFile(input);
  const plan = quantPlan(options.scheme, options.embeddings);
  return writeLlamaGguf(weights, metadataFor(input, weights, plan('matrix'), options.tokenizer), plan);
}

/** The reports as an aligned text table (name, type, shape, max abs error). */
export function formatReports(reports: readonly TensorReport[]): string {
  const width = Math.max(...reports.map((r) => r.name.length), 6);
  const lines = reports.map(
    (r) =>
      `${r.name.padEnd(width)}  ${r.type.padEnd(4)}  ${`[${r.shape.join(', ')}]`.padEnd(14)}  ` +
      `${r.maxAbsError.toExponential(3)}${r.note ? `  (${r.note})` : ''}`,
  );
  return [`${'tensor'.padEnd(width)}  type  ${'shape'.padEnd(14)}  max abs error`, ...lines].join('\n');
}
