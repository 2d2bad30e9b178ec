/**
 * Our LLM runtime against llama.cpp (`@wllama/wllama`, wasm) in headless Chromium, on the same GGUF
 * bytes (bench-llm.html?check=greedy, src/bench/llm-greedy.ts):
 * - stories260K.gguf (F32): our greedy tokens from BOS on WebGPU (SwiftShader), FastCpuOps and
 *   CpuOps equal wllama's over 100 tokens;
 * - stories260K quantized by our `npm run model:quantize` CLI to Q8_0 and Q4_0 in a temp dir: wllama
 *   loads both files (another reader accepts what we write) and its greedy text for the Q8_0 file
 *   equals ours for that file; for Q4_0 the agreement length is printed, not asserted.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndServePage, runBenchPage, type ServedPage } from '../../models/tools/bench-page.ts';
import type { GreedyCheckReport, GreedyFileReport, GreedyRun } from '../../src/bench/llm-greedy.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { noStories, REFERENCE_GREEDY_TEXT, STORIES_DIR } from '../llm/stories-files.ts';
import { chromiumInstalled, CHROMIUM_PATH } from './helpers/browser.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TOKENS = 100;
const PAGE_TIMEOUT_MS = 300_000;
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

/** Length of the common prefix of two id lists. */
function agreement(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** `npm run model:quantize` (the CLI itself) on stories260K.gguf → `out`. */
function quantizeWithCli(scheme: 'q8_0' | 'q4_0', out: string): void {
  execFileSync(
    'npx',
    [
      'tsx',
      '--import',
      './models/tools/node-hooks/register.mjs',
      'models/tools/quantize.ts',
      '--in',
      resolve(STORIES_DIR, 'stories260K.gguf'),
      '--scheme',
      scheme,
      '--out',
      out,
    ],
    { cwd: root, stdio: 'pipe' },
  );
}

describe.skipIf(noChromium || noStories)('greedy decoding: ours vs wllama on the same GGUF', () => {
  let served: ServedPage | undefined;
  let report: GreedyCheckReport;
  const temp = mkdtempSync(join(tmpdir(), 'localrec-llm-wllama-'));
  const FILES = ['stories260K.gguf', 'stories260K-q8_0.gguf', 'stories260K-q4_0.gguf'];

  beforeAll(async () => {
    quantizeWithCli('q8_0', join(temp, FILES[1]));
    quantizeWithCli('q4_0', join(temp, FILES[2]));
    copyFileSync(resolve(STORIES_DIR, FILES[0]), join(temp, FILES[0]));
    served = await buildAndServePage(root, join(root, 'bench-llm.html'));
    mkdirSync(join(served.outDir, 'llm'), { recursive: true });
    for (const f of FILES) copyFileSync(join(temp, f), join(served.outDir, 'llm', f));
    const url = `${served.origin}/bench-llm.html?check=greedy&models=${FILES.join(',')}&tokens=${TOKENS}`;
    report = JSON.parse(await runBenchPage(url, served.origin, PAGE_TIMEOUT_MS)) as GreedyCheckReport;
  }, PAGE_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await served?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  const file = (name: string): GreedyFileReport => {
    const found = report.files.find((f) => f.modelUrl === `llm/${name}`);
    if (!found) throw new Error(`no report for ${name}`);
    return found;
  };
  /** wllama's run and our engines' runs on one file. */
  const enginesOn = (name: string): { wllama: GreedyRun; ours: GreedyRun[] } => {
    const { runs } = file(name);
    const wllama = runs.find((r) => r.engine === 'wllama');
    if (!wllama) throw new Error(`no wllama run for ${name}`);
    return { wllama, ours: runs.filter((r) => r !== wllama) };
  };

  it('wrote both quantized files with our CLI', () => {
    for (const f of FILES) expect(existsSync(join(temp, f)), f).toBe(true);
    expect(file(FILES[1]).description).toMatch(/Q8_0/);
    expect(file(FILES[2]).description).toMatch(/Q4_0/);
  });

  it('stories260K F32: every engine of ours produces wllama greedy tokens', () => {
    const { wllama, ours } = enginesOn(FILES[0]);
    expect(wllama.ids.length).toBe(TOKENS);
    expect(ours.map((r) => r.engine)).toEqual(['ours · WebGPU', 'ours · FastCpuOps', 'ours · CpuOps']);
    for (const run of ours) {
      expect(run.ids, run.engine).toEqual(wllama.ids);
      expect(run.pieces, run.engine).toEqual(wllama.pieces);
    }
    // the first 60 are llama2.c's published output (llama.cpp keeps the first token's space)
    expect(wllama.text.trimStart().startsWith(REFERENCE_GREEDY_TEXT)).toBe(true);
  });

  it('Q8_0 by our quantizer: wllama loads it and its greedy text equals ours', () => {
    const { wllama, ours } = enginesOn(FILES[1]);
    for (const run of ours) console.log(`Q8_0 ${run.engine}: ${agreement(run.ids, wllama.ids)}/${TOKENS}`);
    expect(wllama.ids.length).toBe(TOKENS);
    for (const run of ours) {
      expect(run.ids, run.engine).toEqual(wllama.ids);
      // llama.cpp keeps the first piece's leading space; ours drops it after BOS
      expect(run.text, run.engine).toBe(wllama.text.trimStart());
    }
  });

  it('Q4_0 by our quantizer: wllama loads it (agreement length printed, not asserted)', () => {
    const { wllama, ours } = enginesOn(FILES[2]);
    expect(wllama.ids.length).toBe(TOKENS);
    for (const run of ours) console.log(`Q4_0 ${run.engine}: ${agreement(run.ids, wllama.ids)}/${TOKENS}`);
    // our engines agree with each other on the Q4_0 file (same kernels' arithmetic up to order)
    for (const run of ours) expect(agreement(run.ids, ours[0].ids), run.engine).toBeGreaterThanOrEqual(60);
  });
});
