/**
 * Adam (Kingma & Ba) over named tensors, as torch.optim.Adam without weight decay (the update
 * models/train/sasrec.py uses, betas 0.9 / 0.98 there).
 */
import type { SasrecConfig } from '../sasrec/config.ts';
import { zeroTensors, type ParamTensors } from './params.ts';

/** Adam hyper-parameters. */
export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** The defaults of the PyTorch training script. */
export const DEFAULT_ADAM: AdamOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-8 };

/** Adam state: first and second moments per tensor and the step count. */
export class Adam {
  readonly options: AdamOptions;
  readonly #m: ParamTensors;
  readonly #v: ParamTensors;
  #step = 0;

  constructor(config: SasrecConfig, options: AdamOptions = DEFAULT_ADAM) {
    this.options = options;
    this.#m = zeroTensors(config);
    this.#v = zeroTensors(config);
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.#step;
  }

  /** Update `params` in place from `grads` (same names and sizes). */
  step(params: ParamTensors, grads: ParamTensors): void {
    const { lr, beta1, beta2, eps } = this.options;
    this.#step++;
    const correction1 = 1 - beta1 ** this.#step;
    const correction2 = 1 - beta2 ** this.#step;
    for (const [name, p] of params) {
      const g = grads.get(name) as Float32Array; // [same as p]
      const m = this.#m.get(name) as Float32Array; // [same as p]
      const v = this.#v.get(name) as Float32Array; // [same as p]
      for (let i = 0; i < p.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + eps);
      }
    }
  }
}
