/**
 * Registers the named errors other modules can throw inside the SASRec worker, so the page rebuilds
 * them as their own classes (`reviveError`). Import once on the receiving side (src/main.ts).
 * Each class sets its `name` as a literal, so this survives minification.
 */
import { CatalogFormatError } from '../data/errors.ts';
import { WebGpuUnavailableError } from '../gpu/device.ts';
import { ShapeError } from '../gpu/shapes.ts';
import { SafetensorsFormatError } from '../protocol/safetensors.ts';
import { ManifestError } from './manifest.ts';
import { SasrecConfigError } from '../sasrec/config.ts';
import { EmptyHistoryError, UnknownItemError } from '../sasrec/session.ts';
import { ModelFormatError, ModelIntegrityError } from '../sasrec/weights.ts';
import { registerErrorClass, type ErrorClass } from './errors.ts';

/** Error classes from outside src/protocol that may cross the worker boundary. */
export const KNOWN_ERROR_CLASSES: readonly ErrorClass[] = [
  CatalogFormatError,
  WebGpuUnavailableError,
  ShapeError,
  SafetensorsFormatError,
  ManifestError,
  SasrecConfigError,
  EmptyHistoryError,
  UnknownItemError,
  ModelFormatError,
  ModelIntegrityError,
];

/** Register every class of KNOWN_ERROR_CLASSES (idempotent). */
export function registerKnownErrors(): void {
  for (const cls of KNOWN_ERROR_CLASSES) registerErrorClass(cls);
}
