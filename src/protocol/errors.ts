/**
 * Named errors that cross the worker boundary.
 *
 * `postMessage` cannot carry class identity, so an error travels as `{name, message, details}`
 * (`SerializedError`) and is rebuilt on the other side as the same class, looked up by `name` in a
 * registry. Classes defined elsewhere (e.g. a manifest validation error) join with
 * `registerErrorClass`; an unregistered name comes back as `RemoteError` that keeps the name.
 */

/** The wire form of an error. `details` is plain JSON-like data (already structured-clone safe). */
export interface SerializedError {
  name: string;
  message: string;
  details?: unknown;
}

/**
 * Base of LocalRec's named errors, with optional structured `details`. Every subclass declares its
 * `name` as a string literal: constructor names do not survive minification, so the registry and
 * the wire format use the declared `name`.
 */
export class LocalRecError extends Error {
  override name = 'LocalRecError';
  readonly details?: unknown;
  constructor(message: string, details?: unknown) {
    super(message);
    if (details !== undefined) this.details = details;
  }
}

/** A request was superseded by a newer request of the same kind (or the client was disposed). */
export class CancelledError extends LocalRecError {
  override name = 'CancelledError';
}

/** A request's payload is malformed (wrong types, out-of-range ids, …). */
export class InvalidRequestError extends LocalRecError {
  override name = 'InvalidRequestError';
}

/** A request named a kind the worker has no handler for. */
export class UnknownRequestError extends LocalRecError {
  override name = 'UnknownRequestError';
}

/** A request needs a loaded model but none is loaded yet. */
export class ModelNotLoadedError extends LocalRecError {
  override name = 'ModelNotLoadedError';
}

/** The model files could not be fetched, parsed or validated. */
export class ModelLoadError extends LocalRecError {
  override name = 'ModelLoadError';
}

/** The asked-for compute backend (e.g. WebGPU) is missing or failed to initialise. */
export class BackendUnavailableError extends LocalRecError {
  override name = 'BackendUnavailableError';
}

/** The worker itself failed (script error, crash) — every pending request rejects with this. */
export class WorkerCrashedError extends LocalRecError {
  override name = 'WorkerCrashedError';
}

/** An error whose class is not registered on this side; `remoteName` keeps the original name. */
export class RemoteError extends LocalRecError {
  override name = 'RemoteError';
  readonly remoteName: string;
  constructor(message: string, details?: unknown, remoteName = 'Error') {
    super(message, details);
    this.remoteName = remoteName;
  }
}

/** Constructor shape every registered error class must accept. */
export type ErrorClass = new (message: string, details?: unknown) => Error;

const registry = new Map<string, ErrorClass>();

/** The `name` instances of `cls` carry (read from a probe instance, so minified builds agree). */
function instanceName(cls: ErrorClass): string {
  return new cls('probe').name;
}

/**
 * Make `cls` rebuildable by name on the receiving side (the page). The key is the instance `name`,
 * which must be a literal in the class (`override name = 'MyError'`). Throws if a different class
 * already owns the name.
 */
export function registerErrorClass(cls: ErrorClass): void {
  const name = instanceName(cls);
  const existing = registry.get(name);
  if (existing && existing !== cls) {
    throw new LocalRecError(
      `registerErrorClass: "${name}" is already registered to another class; give the error a unique name.`,
    );
  }
  registry.set(name, cls);
}

for (const cls of [
  CancelledError,
  InvalidRequestError,
  UnknownRequestError,
  ModelNotLoadedError,
  ModelLoadError,
  BackendUnavailableError,
  WorkerCrashedError,
]) {
  registerErrorClass(cls);
}

/** Reduce `details` to JSON-like data so `postMessage` cannot throw DataCloneError on it. */
function toPlainData(details: unknown): unknown {
  if (details === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as unknown;
  } catch {
    return String(details);
  }
}

/** Any thrown value → its wire form. Non-Error values become `{name: 'Error', message: String(v)}`. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const details = error instanceof LocalRecError ? toPlainData(error.details) : undefined;
    const out: SerializedError = { name: error.name, message: error.message };
    if (details !== undefined) out.details = details;
    return out;
  }
  return { name: 'Error', message: String(error) };
}

/** Wire form → an instance of the registered class of that name (or `RemoteError`). */
export function reviveError(wire: SerializedError): Error {
  const cls = registry.get(wire.name);
  if (cls) return new cls(wire.message, wire.details);
  return new RemoteError(wire.message, wire.details, wire.name);
}

/**
 * True when `error` is the named error `name`, rebuilt as its class or (where that class is not
 * registered, e.g. in the widget bundle) as a RemoteError that kept the name.
 */
export function hasErrorName(error: unknown, name: string): boolean {
  if (error instanceof RemoteError) return error.remoteName === name;
  return error instanceof Error && error.name === name;
}
