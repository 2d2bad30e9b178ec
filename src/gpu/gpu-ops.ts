/**
 * `GpuOps`: LlamaOps on our WGSL kernels — `GpuTensorOps` (gpu-tensor-ops.ts: SASRec's op set,
 * quantized `linear`, the command recording and buffer bookkeeping) plus the LLaMA ops: RMSNorm,
 * RoPE, SwiGLU, the fused ops (attention input: q/k/v + rope + cache writes in one kernel; gated
 * gate/up feed-forward) and on-device sampling.
 */
import type { AttentionInputParams, LlamaOps, RopeParams, SampleParams } from './ops.ts';
import {
  checkAttentionInput,
  checkLinear,
  expectShape,
  ReleasedTensorError,
  ShapeError,
  shapeSize,
} from './shapes.ts';
import type { BufferRange } from './kernels/recorder.ts';
import { recordGatedLinear } from './kernels/linear.ts';
import { recordRope } from './kernels/rope.ts';
import { recordSwiglu } from './kernels/swiglu.ts';
import { recordSample } from './kernels/sample.ts';
import { recordQkv, type QkvWeight } from './kernels/qkv.ts';
import { checkRope } from './reference/rope.ts';
import { QuantizedTensorUseError, quantChunkRanges, type GpuTensor } from './gpu-tensor.ts';
import { GpuTensorOps } from './gpu-tensor-ops.ts';

export { QuantizedTensorUseError, type GpuTensor } from './gpu-tensor.ts';
export type { GpuOpsOptions } from './gpu-tensor-ops.ts';

/** TensorOps and LlamaOps on WebGPU. */
export class GpuOps extends GpuTensorOps implements LlamaOps<GpuTensor> {
  readonly #ropeFactorTensors = new WeakMap<Float32Array, GpuTensor>(); // freqFactors → [headDim/2] on the GPU

  /** The rope factors on the GPU, uploaded once per array (a model's config keeps one). */
  #ropeFactors(values: Float32Array): BufferRange {
    let tensor = this.#ropeFactorTensors.get(values);
    if (!tensor) {
      tensor = this.upload(values, [values.length], 'rope factors');
      this.#ropeFactorTensors.set(values, tensor);
    }
    return this.range(tensor);
  }

  gatedLinear(x: GpuTensor, gate: GpuTensor, up: GpuTensor): GpuTensor {
    const { m, k, n } = checkLinear(x.shape, gate.shape, null, undefined);
    expectShape('gatedLinear up', up.shape, gate.shape);
    if (gate.quant?.type !== up.quant?.type) {
      throw new QuantizedTensorUseError(
        `gatedLinear: "${gate.label}" and "${up.label}" must be both f32 or both of one quant type`,
      );
    }
    if (gate.quant) return this.linearQuantized(x, gate, null, {}, { m, k, n }, up);
    const ranges = [this.range(x), this.range(gate), this.range(up)] as const;
    const out = this.alloc([m, n], 'gatedLinear');
    if (out.bytes > 0) recordGatedLinear(this.rec, ...ranges, this.range(out), { m, k, n });
    return out;
  }

  attentionInput(
    h: GpuTensor,
    wqkv: GpuTensor,
    bias: GpuTensor | null,
    p: AttentionInputParams<GpuTensor>,
  ): GpuTensor {
    const dims = checkAttentionInput(h.shape, wqkv.shape, bias?.shape ?? null, p.keyCache.shape, p);
    checkRope([dims.m, dims.qWidth], p.rope);
    expectShape('attentionInput value cache', p.valueCache.shape, p.keyCache.shape);
    if (this.released.has(wqkv)) throw new ReleasedTensorError(wqkv.label);
    const weight: QkvWeight = wqkv.quant
      ? { type: wqkv.quant.type, chunks: quantChunkRanges(wqkv) }
      : {
          type: 'f32',
          chunks: [{ rowStart: 0, rows: wqkv.shape[0], bytes: wqkv.bytes, range: this.range(wqkv) }],
        };
    const [hRange, biasRange] = [this.range(h), bias ? this.range(bias) : null];
    const factors = p.rope.freqFactors ? this.#ropeFactors(p.rope.freqFactors) : null;
    const [keyCache, valueCache] = [this.range(p.keyCache), this.range(p.valueCache)];
    const out = this.alloc([dims.m, dims.qWidth], 'attentionInput');
    if (out.bytes > 0) {
      const targets = { out: this.range(out), keyCache, valueCache, cacheRow: p.cacheRow };
      recordQkv(this.rec, hRange, weight, biasRange, factors, targets, { ...dims, ...p.rope });
    }
    return out;
  }

  /** RMSNorm (LLaMA): x / sqrt(mean(x²) + eps) · weight, row-wise over x [M, d]. */
  rmsNorm(x: GpuTensor, weight: GpuTensor, eps: number): GpuTensor {
    return this.norm(x, weight, null, eps);
  }

  rope(x: GpuTensor, p: RopeParams): GpuTensor {
    const [rows, width] = checkRope(x.shape, p);
    const source = this.range(x);
    const factors = p.freqFactors ? this.#ropeFactors(p.freqFactors) : null;
    const out = this.alloc(x.shape, 'rope');
    if (out.bytes > 0) recordRope(this.rec, source, factors, this.range(out), { rows, width, ...p });
    return out;
  }

  swiglu(gate: GpuTensor, up: GpuTensor): GpuTensor {
    expectShape('swiglu up', up.shape, gate.shape);
    const [gateRange, upRange] = [this.range(gate), this.range(up)];
    const out = this.alloc(gate.shape, 'swiglu');
    if (out.bytes > 0) recordSwiglu(this.rec, gateRange, upRange, this.range(out), shapeSize(gate.shape));
    return out;
  }

  /** Samples one token id from logits [n] (or [1, n]) on the GPU; only 4 bytes are read back. */
  async sampleToken(logits: GpuTensor, p: SampleParams): Promise<number> {
    const n = shapeSize(logits.shape);
    if (n === 0)
      throw new ShapeError('sampleToken: logits are empty; pass the [vocab] row of the last position');
    const out = recordSample(this.rec, this.range(logits), n, p);
    const bytes = await this.readBack(out, 4);
    this.pool.release(out);
    return new Uint32Array(bytes)[0];
  }
}
