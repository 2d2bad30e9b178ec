/**
 * Warming a re-created WebGPU device: after a device loss the SASRec handler puts the weights on a
 * new device, and the pipelines the lost device had compiled are compiled again on the new one in the
 * background (PipelineCache.warm), so the first ranking there does not pay the compile. Requests
 * are not held back; a new model, another loss or disposal cancels the warm-up.
 */
import { GpuOps } from '../gpu/gpu-ops.ts';
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import type { WarmUpState } from './messages-sasrec.ts';

/** The warm-up of the current device (at most one at a time). */
export class DeviceWarmUp {
  #controller: AbortController | undefined;
  #state: WarmUpState | null = null;
  /** resolves when the current warm-up ends (tests) */
  finished: Promise<void> = Promise.resolve();

  /** Start compiling on `to` what `from` compiled (both WebGPU; otherwise nothing), cancelling the previous warm-up. */
  start(from: TensorOps<Tensor>, to: TensorOps<Tensor>): void {
    this.cancel();
    if (!(from instanceof GpuOps) || !(to instanceof GpuOps)) return;
    const variants = from.pipelines.variants();
    const controller = new AbortController();
    const state: WarmUpState = { pipelines: variants.length, done: false, compiled: 0 };
    this.#controller = controller;
    this.#state = state;
    this.finished = to.pipelines
      .warm(variants, controller.signal)
      .then(
        (compiled) => void (state.compiled = compiled),
        () => undefined, // the new device was lost too: the next request reports it
      )
      .finally(() => void (state.done = true));
  }

  /** Stop the running warm-up (the pipelines compiled so far stay). */
  cancel(): void {
    this.#controller?.abort();
    this.#controller = undefined;
  }

  /** The last warm-up's state; null when there was none. */
  get state(): WarmUpState | null {
    return this.#state && { ...this.#state };
  }
}
