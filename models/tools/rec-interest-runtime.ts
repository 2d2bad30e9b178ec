/**
 * Our runtime on an interest model exported by models/train/rec_interest.py --export DIR: the base with
 * item rows, the LoRA adapter merged by src/llm/lora.ts, P(yes) from src/rec/interest.ts on CpuOps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { mergeLora, readLoraAdapter } from '../../src/llm/lora.ts';
import { parseSafetensors } from '../../src/protocol/safetensors.ts';
import { interest, parseInterestManifest, rocAuc, type RatedItem } from '../../src/rec/interest.ts';

/** Our runtime's test-set figures next to PyTorch's. */
export interface RuntimeInterest {
  /** AUC of our runtime's P(yes) */
  auc: number;
  /** AUC of PyTorch's P(yes) (from interest.json) */
  torchAuc: number;
  /** largest |P(yes) ours − PyTorch's| */
  maxDiff: number;
  /** test samples scored */
  n: number;
}

/** What rec_interest.py --export writes besides the interest manifest fields. */
export interface ExportedTestSet {
  r: number;
  alpha: number;
  samples: { history: [number, number][]; target: number }[];
  labels: number[];
  pYes: number[];
  auc: number;
}

/** Our runtime's P(yes) for every exported test sample; returns its AUC and the largest |P − PyTorch's P|. */
export async function runtimeInterest(exportDir: string): Promise<RuntimeInterest> {
  const json = JSON.parse(readFileSync(join(exportDir, 'interest.json'), 'utf8')) as ExportedTestSet;
  const manifest = parseInterestManifest(json);
  const lora = { r: json.r, alpha: json.alpha, ropeLayout: 'meta' as const };
  const adapter = parseSafetensors(new Uint8Array(readFileSync(join(exportDir, 'adapter.safetensors'))));
  const base = loadLlamaFile(new Uint8Array(readFileSync(join(exportDir, 'base-items.bin')))).weights;
  const { weights } = mergeLora(base, readLoraAdapter(adapter, lora), lora);
  const model = new LlamaForward(new CpuOps(), weights, { capacity: 64 });
  const p: number[] = []; // [n] P(yes)
  let maxDiff = 0;
  for (const [i, s] of json.samples.entries()) {
    const history: RatedItem[] = s.history.map(([item, rating]) => ({ item, rating }));
    p.push(await interest(model, manifest, history, s.target));
    maxDiff = Math.max(maxDiff, Math.abs(p[i] - json.pYes[i]));
  }
  return { auc: rocAuc(p, json.labels), torchAuc: json.auc, maxDiff, n: p.length };
}
