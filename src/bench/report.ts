/**
 * The bench page's result: one latency row per (backend, history length, request kind), the
 * backends that could not run, top-10 agreement between backends, and the adapter. The worker
 * builds it; the CLI (models/tools/bench-sasrec.ts) validates it with `parseBenchReport`.
 */
import { z } from 'zod';

/** The backends, ours first: WebGPU, the page's CPU fallback, the plain-loop oracle, then onnxruntime-web. */
export const BACKENDS = ['wgsl', 'cpu-fast', 'cpu', 'ort-wasm', 'ort-webgpu'] as const;
/** A measured backend. */
export type BackendId = (typeof BACKENDS)[number];

/** Human labels of the backends, for tables. */
export const BACKEND_LABELS: Record<BackendId, string> = {
  wgsl: 'WGSL (ours, GpuOps)',
  'cpu-fast': 'CPU fast (ours, FastCpuOps)',
  cpu: 'CPU reference (ours, CpuOps)',
  'ort-wasm': 'ORT wasm (1 thread)',
  'ort-webgpu': 'ORT WebGPU EP',
};

/** Short names of the backends, for ratio column headers. */
export const BACKEND_SHORT: Record<BackendId, string> = {
  wgsl: 'WGSL',
  'cpu-fast': 'CPU fast',
  cpu: 'CPU ref',
  'ort-wasm': 'ORT wasm',
  'ort-webgpu': 'ORT WebGPU',
};

/** full: whole window + top-k, no cache reused; incremental: n−1 cached, rank n. */
export const REQUEST_KINDS = ['full', 'incremental'] as const;
/** A request kind. */
export type RequestKind = (typeof REQUEST_KINDS)[number];

const summarySchema = z.object({
  runs: z.number().int().positive(),
  median: z.number(),
  p90: z.number(),
  min: z.number(),
  max: z.number(),
});

const rowSchema = z.object({
  backend: z.enum(BACKENDS),
  historyLength: z.number().int().positive(),
  kind: z.enum(REQUEST_KINDS),
  latency: summarySchema,
  samples: z.array(z.number()), // [runs] milliseconds, in run order
  /** positions pushed through the network per timed request (1 for a true incremental update) */
  positionsComputed: z.number().int().nonnegative(),
  /** TensorOps calls per request (our engine only; on GpuOps ≈ kernel dispatches) */
  opsPerRequest: z.number().int().nonnegative().optional(),
});

const backendStatusSchema = z.object({
  backend: z.enum(BACKENDS),
  ok: z.boolean(),
  /** why the backend did not run (absent when ok) */
  error: z.string().optional(),
  /** e.g. "no KV cache: the incremental row is a full forward" */
  note: z.string().optional(),
});

const probeSchema = z.object({
  backend: z.enum(BACKENDS),
  /** what was run, e.g. "linear [1, 50] · [50, 50]ᵀ + bias" (each probe reads its result back) */
  name: z.string(),
  latency: summarySchema,
});

const mismatchSchema = z.object({
  backend: z.enum(BACKENDS),
  ids: z.array(z.number()), // [10]
});

const agreementSchema = z.object({
  historyLength: z.number().int().positive(),
  reference: z.enum(BACKENDS),
  referenceIds: z.array(z.number()), // [10]
  /** backends whose top-10 ids differ from the reference's */
  mismatches: z.array(mismatchSchema),
  /** largest |score − reference score| over the top-10 of backends with the same ids */
  maxScoreDiff: z.number(),
});

const adapterSchema = z.object({
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
});

const reportSchema = z.object({
  model: z.object({
    id: z.string(),
    dataset: z.string(),
    randomWeights: z.boolean(),
    itemCount: z.number().int(),
    hiddenUnits: z.number().int(),
    blocks: z.number().int(),
    heads: z.number().int(),
    maxLen: z.number().int(),
  }),
  /** navigator.gpu adapter info (null when WebGPU is unavailable) */
  adapter: adapterSchema.nullable(),
  userAgent: z.string(),
  /** navigator.hardwareConcurrency */
  cores: z.number().int().nonnegative(),
  warmup: z.number().int().nonnegative(),
  runs: z.number().int().positive(),
  k: z.number().int().positive(),
  rows: z.array(rowSchema),
  backends: z.array(backendStatusSchema),
  agreement: z.array(agreementSchema),
  probes: z.array(probeSchema),
});

/** One latency row. */
export type LatencyRow = z.infer<typeof rowSchema>;
/** One single-op probe's latency on one backend. */
export type Probe = z.infer<typeof probeSchema>;
/** Whether a backend ran. */
export type BackendStatus = z.infer<typeof backendStatusSchema>;
/** Top-10 agreement for one history. */
export type Agreement = z.infer<typeof agreementSchema>;
/** WebGPU adapter identity. */
export type AdapterDescription = z.infer<typeof adapterSchema>;
/** The whole bench result. */
export type BenchReport = z.infer<typeof reportSchema>;

/** The bench page returned something that is not a BenchReport (a bug in the page or a stale build). */
export class BenchReportError extends Error {
  override readonly name = 'BenchReportError';
}

/** Validate `value` as a BenchReport; throws BenchReportError naming the first bad field. */
export function parseBenchReport(value: unknown): BenchReport {
  const parsed = reportSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new BenchReportError(
    `bench report: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}; rebuild the bench page (vite build) and rerun`,
  );
}

/** The row for (backend, n, kind), if measured. */
export function findRow(
  report: Pick<BenchReport, 'rows'>,
  backend: BackendId,
  historyLength: number,
  kind: RequestKind,
): LatencyRow | undefined {
  return report.rows.find(
    (r) => r.backend === backend && r.historyLength === historyLength && r.kind === kind,
  );
}
