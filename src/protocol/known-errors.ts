/**
 * Registers the named errors other modules can throw inside the SASRec and LLM workers, so the page rebuilds
 * them as their own classes (`reviveError`). Import once on the receiving side (src/main.ts).
 * Each class sets its `name` as a literal, so this survives minification.
 */
import { CatalogFormatError, DatasetBuildError } from '../data/errors.ts';
import { DeviceLostError, WebGpuUnavailableError } from '../gpu/device.ts';
import { ShapeError } from '../gpu/shapes.ts';
import { SafetensorsFormatError } from '../protocol/safetensors.ts';
import { ManifestError } from './manifest.ts';
import { SasrecConfigError } from '../sasrec/config.ts';
import { EmptyHistoryError, UnknownItemError } from '../sasrec/session.ts';
import { ModelFormatError, ModelIntegrityError } from '../sasrec/weights.ts';
import { registerErrorClass, type ErrorClass } from './errors.ts';
import { LanguageModelCalibrationError } from '../llm/calibrate.ts';
import { LlamaConfigError } from '../llm/config.ts';
import { LlamaForwardError } from '../llm/forward.ts';
import { GenerateError } from '../llm/generate.ts';
import { KvCacheError } from '../llm/kv-cache.ts';
import { LanguageModelDisposedError, UnsupportedOperationError } from '../llm/language-model.ts';
import {
  GgufFormatError,
  Llama2cFormatError,
  ModelFileError,
  TokenizerFormatError,
  UnsupportedArchitectureError,
  UnsupportedQuantizationError,
} from '../llm/load/errors.ts';
import { SamplerError } from '../llm/sampler.ts';
import {
  DownloadCancelledError,
  DownloadError,
  ModelStoreUnavailableError,
  StorageFullError,
} from '../store/errors.ts';
import { ScoreError } from '../llm/score.ts';
import { TokenizerError } from '../llm/tokenizer.ts';
import { SessionRaceError } from '../rec/explain-model.ts';
import { InterestManifestError } from '../rec/interest.ts';
import { ItemTokenError, RecManifestError } from '../rec/item-tokens.ts';
import { LlamaWeightsError } from '../llm/weights.ts';

/** Error classes from outside src/protocol that may cross the worker boundary. */
export const KNOWN_ERROR_CLASSES: readonly ErrorClass[] = [
  CatalogFormatError,
  DatasetBuildError, // the training worker (DataFormatError keeps its name as a RemoteError: its constructor takes a line, not a message)
  WebGpuUnavailableError,
  DeviceLostError,
  ShapeError,
  SafetensorsFormatError,
  ManifestError,
  SasrecConfigError,
  EmptyHistoryError,
  UnknownItemError,
  ModelFormatError,
  ModelIntegrityError,
  // the LLM worker (src/protocol/llm-handler.ts)
  ModelFileError,
  GgufFormatError,
  Llama2cFormatError,
  TokenizerFormatError,
  UnsupportedQuantizationError,
  UnsupportedArchitectureError,
  LlamaConfigError,
  LlamaWeightsError,
  LlamaForwardError,
  KvCacheError,
  GenerateError,
  SamplerError,
  TokenizerError,
  ScoreError,
  UnsupportedOperationError,
  LanguageModelCalibrationError,
  LanguageModelDisposedError,
  // the model store (src/store), read by the SASRec worker
  StorageFullError,
  ModelStoreUnavailableError,
  DownloadError,
  DownloadCancelledError,
  // sasrec.explain (src/rec/explain-model.ts)
  SessionRaceError,
  // the rec-tuned LLM in the LLM worker (src/rec/pipeline-handler.ts)
  RecManifestError,
  ItemTokenError,
  // the interest model in the LLM worker (src/rec/interest-handler.ts)
  InterestManifestError,
];

/** Register every class of KNOWN_ERROR_CLASSES (idempotent). */
export function registerKnownErrors(): void {
  for (const cls of KNOWN_ERROR_CLASSES) registerErrorClass(cls);
}
