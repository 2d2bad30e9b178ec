/**
 * Finding and running the Python that has PyTorch (Debian's python3-torch lives under
 * /usr/bin/python3; the first `python3` on PATH may be another interpreter without it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Thrown when no Python with PyTorch is available. */
export class PythonTorchMissingError extends Error {
  override readonly name = 'PythonTorchMissingError';
}

const CANDIDATES = [process.env.LOCALREC_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[];

let found: string | null | undefined;

/** The first interpreter that can `import torch`, or null. Cached. */
export function findTorchPython(): string | null {
  if (found !== undefined) return found;
  found = null;
  for (const exe of CANDIDATES) {
    const r = spawnSync(exe, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) {
      found = exe;
      break;
    }
  }
  return found;
}

/** torchrun next to that interpreter (Debian: /usr/bin/torchrun), or null. */
export function findTorchrun(): string | null {
  const r = spawnSync('torchrun', ['--help'], { stdio: 'ignore' });
  return r.status === 0 ? 'torchrun' : null;
}

/** Environment for training: one BLAS thread per process (PyTorch threads are set by the script). */
export function trainingEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: '1', PYTHONUNBUFFERED: '1' };
}

/**
 * Run a command, streaming its output to ours (or collecting it), and resolve with the output.
 * Rejects with the exit code and the last lines of output on failure.
 */
export function run(cmd: string, args: string[], opts: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: trainingEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (chunk: Buffer, sink: NodeJS.WriteStream) => {
      out += chunk.toString();
      if (!opts.quiet) sink.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => take(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => take(c, process.stderr));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} exited with ${code}:\n${out.split('\n').slice(-30).join('\n')}`));
    });
  });
}

/** models/train/sasrec.py */
export const SASREC_TRAIN_SCRIPT = fileURLToPath(new URL('../train/sasrec.py', import.meta.url));

/** How to run models/train/sasrec.py. */
export interface SasrecTrainingRun {
  /** arguments after the script (e.g. --sequences f --out d --id x --loss ce) */
  args: string[];
  /** > 1: torchrun with this many CPU processes (DistributedDataParallel, gloo) */
  processes?: number;
  /** torchrun's per-process log directory (required when processes > 1) */
  logDir?: string;
  quiet?: boolean;
}

/** Train SASRec in one process or under torchrun; resolves with the output. */
export function runSasrecTraining(r: SasrecTrainingRun): Promise<string> {
  const python = findTorchPython();
  if (!python)
    throw new PythonTorchMissingError(
      'PyTorch not found: apt-get install python3-torch libopenblas0-pthread',
    );
  const script = [SASREC_TRAIN_SCRIPT, ...r.args];
  const procs = r.processes ?? 1;
  if (procs <= 1) return run(python, script, { quiet: r.quiet });
  if (!r.logDir) throw new Error('runSasrecTraining: logDir is required with processes > 1');
  // torch 1.13's torchrun mis-parses its default --redirects/--tee on Python 3.11: pass them explicitly.
  const launcher = [
    '--redirects',
    '1',
    '--tee',
    '1',
    '--log_dir',
    r.logDir,
    '--nproc_per_node',
    String(procs),
  ];
  return run('torchrun', [...launcher, ...script], { quiet: r.quiet });
}
