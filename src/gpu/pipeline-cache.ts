/**
 * Compute pipelines compiled once per (kernel, override constants), each with an EXPLICIT bind
 * group layout built from the kernel's binding list (never `layout: 'auto'`, so one layout fits
 * every variant and bind groups never depend on what the compiler happened to keep).
 */

/** How a kernel uses one binding, in binding order 0, 1, 2, … of group 0. */
export type BindingKind = 'read' | 'write' | 'uniform';

/** A kernel: WGSL source (common helpers included), entry point = name, bindings in order. */
export interface KernelSpec {
  readonly name: string;
  readonly code: string;
  readonly bindings: readonly BindingKind[];
}

/** A kernel's WGSL failed to compile; the message lists the compiler's errors with lines. */
export class ShaderCompileError extends Error {
  override readonly name = 'ShaderCompileError';
}

/** A compiled pipeline and the layout its bind groups must use. */
export interface CachedPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

const BUFFER_TYPE: Record<BindingKind, GPUBufferBindingType> = {
  read: 'read-only-storage',
  write: 'storage',
  uniform: 'uniform',
};

/** One pipeline a cache compiled: its kernel and override constants (what `warm` compiles again). */
export interface PipelineVariant {
  spec: KernelSpec;
  overrides: Readonly<Record<string, number>>;
}

const keyOf = ({ spec, overrides }: PipelineVariant) => `${spec.name}${JSON.stringify(overrides)}`;

/** Caches shader modules per kernel and pipelines per kernel + override constants. */
export class PipelineCache {
  readonly #modules = new Map<string, GPUShaderModule>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();
  readonly #pipelines = new Map<string, CachedPipeline & PipelineVariant>();

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline for `spec` with `overrides` (e.g. `{ WG: 64 }`), compiled on first use. */
  get(spec: KernelSpec, overrides: Readonly<Record<string, number>> = {}): CachedPipeline {
    const key = keyOf({ spec, overrides });
    let cached = this.#pipelines.get(key);
    if (!cached) {
      const pipeline = this.device.createComputePipeline(this.#descriptor(key, spec, overrides));
      cached = { pipeline, layout: this.#layout(spec), spec, overrides };
      this.#pipelines.set(key, cached);
    }
    return cached;
  }

  /** Every pipeline compiled so far (e.g. on a device that was then lost). */
  variants(): PipelineVariant[] {
    return [...this.#pipelines.values()].map(({ spec, overrides }) => ({ spec, overrides }));
  }

  /**
   * Compile `variants` in the background (createComputePipelineAsync, one after the other), so a
   * re-created device does not compile them inside the next request; requests are not held back
   * (one that needs a pipeline not ready yet compiles it itself). Stops when `signal` aborts;
   * resolves to how many it compiled.
   */
  async warm(variants: readonly PipelineVariant[], signal: AbortSignal): Promise<number> {
    let compiled = 0;
    for (const { spec, overrides } of variants) {
      const key = keyOf({ spec, overrides });
      if (signal.aborted) break;
      if (this.#pipelines.has(key)) continue;
      const pipeline = await this.device.createComputePipelineAsync(this.#descriptor(key, spec, overrides));
      if (this.#pipelines.has(key)) continue; // a request compiled it meanwhile
      this.#pipelines.set(key, { pipeline, layout: this.#layout(spec), spec, overrides });
      compiled++;
    }
    return compiled;
  }

  #descriptor(
    key: string,
    spec: KernelSpec,
    overrides: Readonly<Record<string, number>>,
  ): GPUComputePipelineDescriptor {
    return {
      label: key,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.#layout(spec)] }),
      compute: { module: this.#module(spec), entryPoint: spec.name, constants: { ...overrides } },
    };
  }

  /** Compiles `spec` and throws `ShaderCompileError` with the compiler's messages if it fails. */
  async check(spec: KernelSpec): Promise<void> {
    this.device.pushErrorScope('validation'); // keeps the error out of 'uncapturederror'
    const module = this.#module(spec);
    const scopeError = await this.device.popErrorScope();
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0 || scopeError) {
      const lines = errors.map((m) => `  line ${m.lineNum}:${m.linePos} ${m.message}`);
      const detail = lines.length > 0 ? lines.join('\n') : `  ${scopeError?.message}`;
      throw new ShaderCompileError(`kernel "${spec.name}" does not compile:\n${detail}`);
    }
  }

  #module(spec: KernelSpec): GPUShaderModule {
    let module = this.#modules.get(spec.name);
    if (!module) {
      module = this.device.createShaderModule({ label: spec.name, code: spec.code });
      this.#modules.set(spec.name, module);
    }
    return module;
  }

  #layout(spec: KernelSpec): GPUBindGroupLayout {
    let layout = this.#layouts.get(spec.name);
    if (!layout) {
      layout = this.device.createBindGroupLayout({
        label: spec.name,
        entries: spec.bindings.map((kind, binding) => ({
          binding,
          visibility: GPUShaderStage.COMPUTE,
          // params live in the recorder's per-submit uniform arena, bound at a dynamic offset
          buffer: { type: BUFFER_TYPE[kind], hasDynamicOffset: kind === 'uniform' },
        })),
      });
      this.#layouts.set(spec.name, layout);
    }
    return layout;
  }
}
