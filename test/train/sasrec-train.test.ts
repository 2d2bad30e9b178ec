/**
 * Training smoke tests: a tiny PyTorch run on synthetic sequences learns (loss goes down, validation
 * beats chance), its export loads in our engine and matches its own PyTorch goldens, and the same
 * script under torchrun (2 CPU processes, DDP/gloo) produces a decreasing loss curve of the same shape.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops';
import { SasrecSession } from '../../src/sasrec/session';
import { loadSasrecModel } from '../../src/sasrec/weights';
import { findTorchPython, findTorchrun, runSasrecTraining } from '../../models/tools/python';
import { requireOrSkip } from '../helpers/require';
import { diskFetchFile, readGoldens } from '../sasrec/model-dir';

const skip = requireOrSkip(
  findTorchPython() !== null && findTorchrun() !== null,
  'PyTorch (Debian python3-torch) not installed',
);

/** 240 users walking a ring of 30 items with a user-specific stride: learnable, deterministic. */
function writeSyntheticSequences(dir: string): string {
  const lines: string[] = [];
  for (let u = 1; u <= 240; u++) {
    const stride = 1 + (u % 3);
    const length = 8 + (u % 13);
    for (let j = 0; j < length; j++) lines.push(`${u} ${((u * 7 + j * stride) % 30) + 1}`);
  }
  const path = join(dir, 'sequences.txt');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const common = ['--epochs', '12', '--hidden', '16', '--max-len', '16', '--batch', '24', '--eval-every', '4'];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(skip)('SASRec training (PyTorch, CPU)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-train-'));
  const sequences = writeSyntheticSequences(dir);

  it('learns, exports, and the export matches its goldens in our engine', async () => {
    const out = join(dir, 'single');
    const curve = join(dir, 'single-curve.json');
    await runSasrecTraining({
      args: [
        '--sequences',
        sequences,
        '--out',
        out,
        '--id',
        'smoke',
        '--loss',
        'bce',
        '--log-json',
        curve,
        ...common,
      ],
      quiet: true,
    });
    const losses: number[] = JSON.parse(readFileSync(curve, 'utf8')).curve;
    expect(mean(losses.slice(-10))).toBeLessThan(0.8 * mean(losses.slice(0, 10)));
    const log = JSON.parse(readFileSync(join(out, 'train-log.json'), 'utf8'));
    // chance level for HR@10 with ~30 candidates minus the history is at most 10/20
    expect(log.final.valid.full['HR@10']).toBeGreaterThan(0.6);

    const { weights, manifest } = await loadSasrecModel(diskFetchFile(out));
    expect(manifest.id).toBe('smoke');
    const session = new SasrecSession(new CpuOps(), weights);
    const goldens = readGoldens(out);
    for (const c of goldens.cases) {
      const r = await session.rank(Int32Array.from(c.history), goldens.k, { excludeHistory: true });
      expect([...r.ids]).toEqual(c.ids);
    }
  });

  it('runs under torchrun with 2 processes (DDP, gloo) and the loss curve has the same shape', async () => {
    const out = join(dir, 'ddp');
    const curve = join(dir, 'ddp-curve.json');
    // torch 1.13's torchrun mis-parses the default --redirects/--tee on Python 3.11: pass them.
    await runSasrecTraining({
      args: [
        '--sequences',
        sequences,
        '--out',
        out,
        '--id',
        'smoke-ddp',
        '--loss',
        'bce',
        '--no-onnx',
        '--log-json',
        curve,
        ...common,
      ],
      processes: 2,
      logDir: join(dir, 'ddp-logs'),
      quiet: true,
    });
    const losses: number[] = JSON.parse(readFileSync(curve, 'utf8')).curve;
    expect(mean(losses.slice(-5))).toBeLessThan(0.8 * mean(losses.slice(0, 5)));
    const log = JSON.parse(readFileSync(join(out, 'train-log.json'), 'utf8'));
    expect(log.final.valid.full['HR@10']).toBeGreaterThan(0.6);
  });
});
