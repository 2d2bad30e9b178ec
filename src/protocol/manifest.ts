/**
 * The model manifest (`models/<id>/manifest.json`), validated with zod at load time.
 * Format described in ../shared/DESIGN.md ("Formats") and docs/ARCHITECTURE.md.
 */
import { z } from 'zod';
import { sasrecConfigSchema } from '../sasrec/config';

/** The manifest is not valid JSON or does not match the schema; the message names the field. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Current (and only) manifest format version. */
export const MANIFEST_FORMAT_VERSION = 1;

const nonNegativeInt = z.number().int().nonnegative();

/** One tensor's location: byte `offset` (absolute, from the start of `file`) and `nbytes`. */
export const manifestTensorSchema = z.object({
  name: z.string().min(1),
  shape: z.array(nonNegativeInt),
  dtype: z.enum(['f32', 'f16', 'q8_0', 'q4_0']),
  quant: z.string().optional(),
  file: z.string().min(1),
  offset: nonNegativeInt,
  nbytes: nonNegativeInt,
});

/** Where the model came from: data set, training run, optional validation/test metrics. */
export const provenanceSchema = z.object({
  dataset: z.string(),
  /** a run name, or the run's settings (seed, epochs, …) */
  run: z.union([z.string(), z.record(z.string(), z.unknown())]),
  /** e.g. {valid: {full: {'NDCG@10': 0.2, …}, sampled: {…}}, test: {…}, bestEpoch: 40} */
  metrics: z.record(z.string(), z.unknown()).optional(),
  createdBy: z.string(),
});

/**
 * Optional ONNX export of the same model (models/train/sasrec_export.py): one unpadded history
 * `input` [1, L] (int64 ids) → `output` scores [1, itemCount + 1] of the next item. Extra fields
 * (shapes) are kept.
 */
export const onnxSchema = z.looseObject({
  file: z.string().min(1),
  input: z.string().min(1).default('history'),
  inputDtype: z.enum(['int64', 'int32']).default('int64'),
  output: z.string().min(1).default('scores'),
});

const commonFields = {
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  id: z.string().min(1),
  tensors: z.array(manifestTensorSchema),
  /** file name → its SHA-256 (lower-case hex) and size */
  files: z.record(
    z.string(),
    z.object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
      bytes: nonNegativeInt,
    }),
  ),
  requiredFeatures: z.array(z.string()),
  minStorageBufferBindingSize: nonNegativeInt,
  provenance: provenanceSchema,
  onnx: onnxSchema.optional(),
};

/** The manifest schema, discriminated on `arch`. */
export const manifestSchema = z.discriminatedUnion('arch', [
  z.object({ ...commonFields, arch: z.literal('sasrec'), config: sasrecConfigSchema }),
  z.object({ ...commonFields, arch: z.literal('llama'), config: z.record(z.string(), z.unknown()) }),
]);

/** A validated manifest of any architecture. */
export type Manifest = z.infer<typeof manifestSchema>;
/** A validated SASRec manifest. */
export type SasrecManifest = Extract<Manifest, { arch: 'sasrec' }>;
/** One tensor entry of a manifest. */
export type ManifestTensor = z.infer<typeof manifestTensorSchema>;

/** Validate a parsed JSON value (or JSON text) as a manifest; throws ManifestError. */
export function parseManifest(raw: unknown): Manifest {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      throw new ManifestError(`manifest.json is not valid JSON (${(cause as Error).message})`);
    }
  }
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ManifestError(
      `manifest.json does not match the format (version ${MANIFEST_FORMAT_VERSION}): ${details.join('; ')}`,
    );
  }
  checkFilesListed(result.data);
  return result.data;
}

function checkFilesListed(manifest: Manifest): void {
  manifest.tensors.forEach((tensor, i) => {
    if (!(tensor.file in manifest.files)) {
      throw new ManifestError(
        `tensors.${i}.file: "${tensor.file}" is not listed in "files"; add it with its sha256 and bytes`,
      );
    }
    if (tensor.offset + tensor.nbytes > manifest.files[tensor.file].bytes) {
      throw new ManifestError(
        `tensors.${i} ("${tensor.name}"): bytes ${tensor.offset}..${tensor.offset + tensor.nbytes} run past the end of "${tensor.file}"`,
      );
    }
  });
}

/** Validate and require a SASRec manifest; throws ManifestError for other architectures. */
export function parseSasrecManifest(raw: unknown): SasrecManifest {
  const manifest = parseManifest(raw);
  if (manifest.arch !== 'sasrec') throw new ManifestError(`arch: expected "sasrec", got "${manifest.arch}"`);
  return manifest;
}
