/**
 * llama2.c checkpoints → LlamaConfig + LlamaWeights.
 *
 * v0 (legacy fp32, run.c): 7 × i32 header (dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 * vocab_size, seq_len; a negative vocab_size means a separate classifier), then f32 tensors
 * tok_emb, rms_att[L], wq[L], wk[L], wv[L], wo[L], rms_ffn[L], w1[L], w2[L], w3[L], rms_final,
 * two legacy RoPE tables [seq_len, head/2] (skipped), then wcls if not shared.
 * v2 (runq.c, magic "ak42"): 256-byte header (magic, i32 version 2, the 7 i32 params, u8 shared
 * classifier, i32 group size), f32 norms (rms_att[L], rms_ffn[L], rms_final), then Q8_0 tensors,
 * each as int8 values followed by one f32 scale per group: tok_emb, wq[L], wk[L], wv[L], wo[L],
 * w1[L], w2[L], w3[L], wcls if not shared. Dequantised on load here.
 */
import { validateLlamaConfig, type LlamaConfig } from '../config.ts';
import { checkLlamaWeights, layerShapes, type LlamaLayerWeights, type LlamaWeights } from '../weights.ts';
import { ByteReader } from './byte-reader.ts';
import { Llama2cFormatError } from './errors.ts';
import type { LoadedLlama } from './gguf-llama.ts';

const V2_MAGIC = 0x616b3432; // "ak42" as written by llama2.c export.py (struct.pack('I', 0x616b3432))
const V2_HEADER_BYTES = 256;
const fail = (message: string) => new Llama2cFormatError(message);

/** Reads the 7 header ints into a config (sharedClassifier decided by the caller). */
function readParams(r: ByteReader, shared: boolean | null): LlamaConfig {
  const [dim, hiddenDim, layers, heads, kvHeads, vocab, seqLen] = Array.from({ length: 7 }, (_, i) =>
    r.i32(`header int ${i}`),
  );
  return validateLlamaConfig(
    {
      dim,
      hiddenDim,
      layers,
      heads,
      kvHeads,
      vocabSize: Math.abs(vocab),
      contextLength: seqLen,
      ropeTheta: 10000,
      normEps: 1e-5,
      sharedClassifier: shared ?? vocab > 0,
    },
    'llama2.c checkpoint',
  );
}

/** Layer fields in file order, for the f32 norms and the matrices. */
const MATRICES: (keyof LlamaLayerWeights)[] = ['wq', 'wk', 'wv', 'wo', 'w1', 'w2', 'w3'];

function emptyLayers(c: LlamaConfig): LlamaLayerWeights[] {
  return Array.from({ length: c.layers }, () => ({}) as LlamaLayerWeights);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function loadV0(r: ByteReader): LlamaWeights {
  const c = readParams(r, null);
  const shapes = layerShapes(c);
  const layers = emptyLayers(c);
  const tokenEmbedding = r.f32Array(c.vocabSize * c.dim, 'token embedding');
  const perLayer = (key: keyof LlamaLayerWeights) => {
    for (const [i, layer] of layers.entries())
      layer[key] = r.f32Array(sizeOf(shapes[key]), `layer ${i} ${key}`);
  };
  perLayer('attnNorm');
  for (const key of ['wq', 'wk', 'wv', 'wo'] as const) perLayer(key);
  perLayer('ffnNorm');
  for (const key of ['w1', 'w2', 'w3'] as const) perLayer(key);
  const finalNorm = r.f32Array(c.dim, 'final norm');
  r.take(c.contextLength * (c.dim / c.heads) * 4, 'legacy RoPE tables'); // 2 × [seq_len, head/2] f32
  const classifier = c.sharedClassifier ? null : r.f32Array(c.vocabSize * c.dim, 'classifier');
  if (r.remaining !== 0) throw fail(`llama2.c checkpoint has ${r.remaining} unexpected bytes at the end`);
  return { config: c, tokenEmbedding, layers, finalNorm, classifier };
}

/** One Q8 tensor: `count` int8 values then count/groupSize f32 scales. */
function readQ8(r: ByteReader, count: number, groupSize: number, what: string): Float32Array {
  if (count % groupSize !== 0)
    throw fail(`${what}: ${count} values are not a multiple of group size ${groupSize}`);
  const at = r.take(count, `${what} int8 values`);
  const scales = r.f32Array(count / groupSize, `${what} scales`); // [count / groupSize]
  const out = new Float32Array(count); // [count]
  for (let i = 0; i < count; i++) out[i] = r.view.getInt8(at + i) * scales[Math.floor(i / groupSize)];
  return out;
}

function loadV2(r: ByteReader): LlamaWeights {
  r.take(8, 'magic and version');
  const params = new ByteReader(r.bytes.subarray(8, 36), fail, 'llama2.c v2 header');
  r.take(28, 'params');
  const shared = r.u8('shared classifier flag') !== 0;
  const c = readParams(params, shared);
  const groupSize = r.i32('group size');
  if (groupSize < 1 || c.dim % groupSize !== 0) {
    throw fail(`llama2.c v2 group size ${groupSize} must be ≥ 1 and divide dim ${c.dim}`);
  }
  r.offset = V2_HEADER_BYTES;
  const shapes = layerShapes(c);
  const layers = emptyLayers(c);
  for (const key of ['attnNorm', 'ffnNorm'] as const) {
    for (const [i, layer] of layers.entries()) layer[key] = r.f32Array(c.dim, `layer ${i} ${key}`);
  }
  const finalNorm = r.f32Array(c.dim, 'final norm');
  const tokenEmbedding = readQ8(r, c.vocabSize * c.dim, groupSize, 'token embedding');
  for (const key of MATRICES) {
    for (const [i, layer] of layers.entries())
      layer[key] = readQ8(r, sizeOf(shapes[key]), groupSize, `layer ${i} ${key}`);
  }
  const classifier = shared ? null : readQ8(r, c.vocabSize * c.dim, groupSize, 'classifier');
  if (r.remaining !== 0) throw fail(`llama2.c v2 checkpoint has ${r.remaining} unexpected bytes at the end`);
  return { config: c, tokenEmbedding, layers, finalNorm, classifier };
}

/** Loads a llama2.c checkpoint (v0 fp32 or v2 "ak42" Q8_0) held in memory. */
export function loadLlama2c(bytes: Uint8Array): LoadedLlama {
  const r = new ByteReader(bytes, fail, 'llama2.c checkpoint');
  if (bytes.byteLength >= 8 && r.view.getUint32(0, true) === V2_MAGIC) {
    const version = r.view.getInt32(4, true);
    if (version !== 2)
      throw fail(`llama2.c "ak42" checkpoint version ${version} is not supported; expected 2`);
    return { weights: checkLlamaWeights(loadV2(r)), vocabulary: null, description: 'llama2.c v2 (Q8_0)' };
  }
  return { weights: checkLlamaWeights(loadV0(r)), vocabulary: null, description: 'llama2.c v0 (fp32)' };
}
