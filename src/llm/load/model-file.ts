/**
 * One entry point for model files: sniffs the format from the first bytes (GGUF magic, llama2.c
 * v2 "ak42", otherwise llama2.c v0) and builds the tokenizer from the embedded vocabulary or from a
 * separate llama2.c tokenizer file.
 */
import { ByteLevelBpeTokenizer } from '../bpe-tokenizer.ts';
import { Tokenizer, type TextTokenizer } from '../tokenizer.ts';
import { TokenizerFormatError } from './errors.ts';
import { loadGgufLlama, type GgufLoadOptions, type LoadedLlama } from './gguf-llama.ts';
import type { WeightMatrix } from '../weights.ts';
import { loadLlama2c } from './llama2c.ts';
import { readLlama2cTokenizer } from './tokenizer-files.ts';

/** True when `bytes` starts with the GGUF magic. */
export function isGguf(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'GGUF';
}

/** Loads a GGUF or llama2.c model held in memory (matrices as f32). */
export function loadLlamaFile(bytes: Uint8Array): LoadedLlama;
/** Loads a model; with `keepQuantized` a GGUF's Q8_0 / Q4_0 matrices stay blocks (run quantized). */
export function loadLlamaFile(bytes: Uint8Array, options: GgufLoadOptions): LoadedLlama<WeightMatrix>;
export function loadLlamaFile(bytes: Uint8Array, options: GgufLoadOptions = {}): LoadedLlama<WeightMatrix> {
  return isGguf(bytes) ? loadGgufLlama(bytes, options) : loadLlama2c(bytes);
}

/**
 * The model's tokenizer: from `tokenizerFile` (llama2.c format) when given, else the vocabulary
 * embedded in the model file (SentencePiece-style or byte-level BPE); TokenizerFormatError when
 * there is neither.
 */
export function tokenizerFor(model: LoadedLlama<WeightMatrix>, tokenizerFile?: Uint8Array): TextTokenizer {
  if (tokenizerFile)
    return new Tokenizer(readLlama2cTokenizer(tokenizerFile, model.weights.config.vocabSize));
  if (model.vocabulary) return new Tokenizer(model.vocabulary);
  if (model.bpeVocabulary) return new ByteLevelBpeTokenizer(model.bpeVocabulary);
  throw new TokenizerFormatError(
    `${model.description} has no embedded vocabulary; pass its llama2.c tokenizer file (e.g. tok512.bin)`,
  );
}
