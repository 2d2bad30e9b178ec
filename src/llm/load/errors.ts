/** Named errors of the model-file loaders (GGUF, llama2.c), so callers can tell a bad file apart. */

/** Base class: a model or tokenizer file is not what the loader expected. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

/** A GGUF file is malformed: wrong magic, unsupported version, truncated, absurd sizes. */
export class GgufFormatError extends ModelFileError {
  override name = 'GgufFormatError';
}

/** A llama2.c `.bin` checkpoint is malformed (header, size, version). */
export class Llama2cFormatError extends ModelFileError {
  override name = 'Llama2cFormatError';
}

/** A tokenizer file or embedded vocabulary is malformed. */
export class TokenizerFormatError extends ModelFileError {
  override name = 'TokenizerFormatError';
}

/** A tensor uses a quantisation type this runtime does not decode (named in the message). */
export class UnsupportedQuantizationError extends ModelFileError {
  override name = 'UnsupportedQuantizationError';
}

/** The file describes a model architecture this runtime does not run. */
export class UnsupportedArchitectureError extends ModelFileError {
  override name = 'UnsupportedArchitectureError';
}

/** A Hugging Face model directory (config.json + safetensors) is not a LLaMA model we can load. */
export class HfModelError extends ModelFileError {
  override name = 'HfModelError';
}
