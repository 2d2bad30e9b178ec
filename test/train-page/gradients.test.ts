/**
 * The in-page trainer's loss and gradients: against PyTorch (models/train/sasrec_grad_goldens.py,
 * an independent implementation of the same graph with autograd), and against central finite
 * differences on seeded random shapes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findTorchPython, trainingEnv } from '../../models/tools/python.ts';
import { Rng } from '../../src/eval/random.ts';
import { parseSasrecConfig, type SasrecConfig } from '../../src/sasrec/config.ts';
import { batchGradients, type TrainExample } from '../../src/train/batch.ts';
import { initialParams, zeroTensors, type ParamTensors } from '../../src/train/params.ts';
import { requireOrSkip } from '../helpers/require.ts';

interface Goldens {
  config: unknown;
  inputs: number[][];
  targets: number[][];
  loss: number;
  params: Record<string, number[]>;
  grads: Record<string, number[]>;
}

/** Rows of a padded batch → unpadded examples (padding 0 only at the end). */
function unpadded(inputs: number[][], targets: number[][]): TrainExample[] {
  return inputs.map((row, r) => {
    const length = row.filter((id) => id > 0).length;
    return {
      inputs: Int32Array.from(row.slice(0, length)),
      targets: Int32Array.from(targets[r].slice(0, length)),
    };
  });
}

/** Largest |got − want| / max(|want|, floor) over a tensor. */
function worstRelative(got: Float32Array, want: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), floor));
  }
  return worst;
}

const python = findTorchPython();
const noTorch = requireOrSkip(
  python !== null,
  'PyTorch (Debian python3-torch) not installed: no gradient goldens',
);

describe.skipIf(noTorch)('trainer gradients vs PyTorch autograd', { timeout: 120_000 }, () => {
  it('loss and every parameter gradient match within 1e-4 relative', () => {
    const text = execFileSync(python as string, ['models/train/sasrec_grad_goldens.py'], {
      env: trainingEnv(),
      maxBuffer: 64 << 20,
    }).toString();
    const goldens = JSON.parse(text) as Goldens;
    const config = parseSasrecConfig(goldens.config);
    const params: ParamTensors = new Map(
      Object.entries(goldens.params).map(([name, values]) => [name, Float32Array.from(values)]),
    );
    const grads = zeroTensors(config);
    expect([...grads.keys()].sort()).toEqual(Object.keys(goldens.grads).sort());
    const { loss } = batchGradients(config, params, grads, unpadded(goldens.inputs, goldens.targets));
    expect(Math.abs(loss - goldens.loss) / goldens.loss).toBeLessThan(1e-4);
    for (const [name, want] of Object.entries(goldens.grads)) {
      const scale = Math.max(...want.map(Math.abs));
      // relative to each value; for values near 0 (sums that cancel, where f32 rounding of the
      // intermediates dominates) relative to 1% of the tensor's largest gradient
      const worst = worstRelative(grads.get(name) as Float32Array, want, scale * 1e-2);
      expect(worst, `${name}: worst relative error`).toBeLessThan(1e-4);
    }
  });
});

/** Dropout with fixed masks (a fresh generator of one seed each call), or none. */
const fixedDropout = (rate: number) => (rate > 0 ? { rate, rng: new Rng(77) } : undefined);

/** Loss of the batch in f32 (through the same code) for a finite difference. */
function lossOf(config: SasrecConfig, params: ParamTensors, batch: TrainExample[], rate: number): number {
  return batchGradients(config, params, zeroTensors(config), batch, fixedDropout(rate)).loss;
}

describe('trainer gradients vs finite differences', () => {
  const shapes: (Partial<SasrecConfig> & { dropout: number })[] = [
    { itemCount: 9, hiddenUnits: 4, blocks: 1, heads: 1, maxLen: 5, dropout: 0 },
    { itemCount: 17, hiddenUnits: 6, blocks: 2, heads: 3, maxLen: 7, dropout: 0 },
    { itemCount: 1, hiddenUnits: 2, blocks: 1, heads: 2, maxLen: 1, dropout: 0 },
    { itemCount: 11, hiddenUnits: 4, blocks: 2, heads: 2, maxLen: 6, dropout: 0.3 },
  ];
  shapes.forEach(({ dropout: rate, ...shape }, index) => {
    it(`matches central differences: ${JSON.stringify(shape)}, dropout ${rate}`, () => {
      const config = parseSasrecConfig({ ...shape, layerNormEps: 1e-5, positions: 'from_start' });
      const rng = new Rng(100 + index);
      const params = initialParams(config, 5 + index);
      // move LayerNorm gains and every bias away from 1 / 0 so each path carries gradient
      for (const data of params.values())
        for (let i = 0; i < data.length; i++) data[i] += (rng.nextFloat() - 0.5) * 0.4;
      params.get('item_emb.weight')?.fill(0, 0, config.hiddenUnits);
      const batch: TrainExample[] = [1, config.maxLen, Math.max(1, config.maxLen - 2)].map((length) => ({
        inputs: Int32Array.from({ length }, () => 1 + rng.nextInt(config.itemCount)),
        targets: Int32Array.from({ length }, () => 1 + rng.nextInt(config.itemCount)),
      }));
      const grads = zeroTensors(config);
      batchGradients(config, params, grads, batch, fixedDropout(rate));
      const h = 1e-2;
      for (const [name, data] of params) {
        // a few seeded coordinates per tensor (all of them for small tensors)
        const picks =
          data.length <= 8 ? data.keys() : Array.from({ length: 8 }, () => rng.nextInt(data.length));
        for (const i of picks) {
          if (name === 'item_emb.weight' && i < config.hiddenUnits) continue; // padding row: never used
          const saved = data[i];
          data[i] = saved + h;
          const up = lossOf(config, params, batch, rate);
          data[i] = saved - h;
          const down = lossOf(config, params, batch, rate);
          data[i] = saved;
          const numeric = (up - down) / (2 * h);
          const analytic = (grads.get(name) as Float32Array)[i];
          expect(Math.abs(analytic - numeric), `${name}[${i}]: ${analytic} vs ${numeric}`).toBeLessThan(
            2e-3 + 2e-2 * Math.abs(numeric),
          );
        }
      }
    });
  });
});
