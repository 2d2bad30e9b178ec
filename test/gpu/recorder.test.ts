import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps, noGpu } from './support.ts';
import { noStories, storiesFile } from '../llm/stories-files.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { PARAM_ARENA_SLOTS } from '../../src/gpu/kernels/dispatch-state.ts';

describe.skipIf(noGpu)(`Recorder: params arena and cached bind groups (${adapterName})`, () => {
  it('a submit with more dispatches than the params arena holds is split and still exact', async () => {
    const steps = PARAM_ARENA_SLOTS + 300;
    const one = gpuOps.upload(Float32Array.of(1, 2, 3, 4), [4]); // [4]
    let x = gpuOps.upload(Float32Array.of(0, 0.5, -1, 7), [4]); // [4]
    const before = gpuOps.recorderStats();
    for (let i = 0; i < steps; i++) {
      const next = gpuOps.add(x, one); // each dispatch reads its own params slot
      gpuOps.release(x);
      x = next;
    }
    const got = await gpuOps.read(x);
    const after = gpuOps.recorderStats();
    expect(after.dispatches - before.dispatches).toBe(steps);
    expect(after.submits - before.submits).toBeGreaterThanOrEqual(2); // split once the arena was full
    expect([...got]).toEqual([steps, 0.5 + 2 * steps, -1 + 3 * steps, 7 + 4 * steps]);
    for (const t of [x, one]) gpuOps.release(t);
  });
});

describe.skipIf(noGpu || noStories)(`Recorder on the stories260K decode loop (${adapterName})`, () => {
  it('after the first decode steps, a token creates no bind group, submits once and dispatches 7 kernels per layer + 4', async () => {
    const { weights } = loadGgufLlama(storiesFile('stories260K.gguf'));
    const model = new LlamaForward(gpuOps, weights, { capacity: 64 });
    const step = async (tokens: Int32Array) => {
      const logits = model.forward(tokens); // [1, vocab]
      const id = await gpuOps.sampleToken(logits, { temperature: 0, topP: 1, seed: 0, step: 0 }); // greedy
      gpuOps.release(logits);
      return id;
    };
    let id = await step(Int32Array.of(1, 403, 407));
    for (let i = 0; i < 3; i++) id = await step(Int32Array.of(id)); // buffers and bind groups settle
    const before = gpuOps.recorderStats();
    for (let i = 0; i < 5; i++) id = await step(Int32Array.of(id));
    const after = gpuOps.recorderStats();
    model.dispose();
    // per layer: rmsNorm, attention input (q/k/v + rope + cache writes), attention, wo, rmsNorm,
    // gated gate/up, w2; then embed, rmsNorm, classifier, sample (54 before q/k/v were one dispatch)
    expect((after.dispatches - before.dispatches) / 5).toBe(7 * weights.config.layers + 4);
    expect(after.bindGroupsCreated - before.bindGroupsCreated).toBe(0);
    expect(after.submits - before.submits).toBe(5);
  });
});
