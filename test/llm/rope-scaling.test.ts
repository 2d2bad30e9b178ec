import { describe, expect, it } from 'vitest';
import { ropeReference } from '../../src/gpu/reference/rope.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { llamaGgufMetadata, writeLlamaGguf } from '../../src/llm/quantize-model.ts';
import {
  UnsupportedRopeScalingError,
  llama3RopeFactors,
  ropeFactorsFromHfConfig,
} from '../../src/llm/rope-scaling.ts';
import { meta } from './gguf-writer.ts';
import { TINY_CONFIG, tinyLlamaGguf, tinyLlamaWeights } from './tiny-llama.ts';

// headDim 8, theta 10000: wavelengths 2π·{1, 10, 100, 1000} = 6.28, 62.8, 628.3, 6283.2;
// original context 1024, low 1, high 4 → keep below 256, divide by 8 above 1024, blend 628.3:
// s = (1024/628.3 − 1)/3 = 0.209917, 1/((1 − s)/8 + s) = 3.239642
const LLAMA3 = { factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContext: 1024 };
const HAND = [1, 1, 3.2396418468652604, 8];

describe('scaled RoPE (Llama 3.1 "llama3")', () => {
  it('llama3 factors equal the hand-computed values', () => {
    const got = llama3RopeFactors(8, 10000, LLAMA3);
    HAND.forEach((want, j) => expect(got[j]).toBeCloseTo(want, 5));
  });

  it('config.json rope_scaling: llama3 and linear read, yarn refused by name', () => {
    const hf = {
      rope_type: 'llama3',
      factor: 8,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 1024,
    };
    expect([...ropeFactorsFromHfConfig(hf, 8, 10000, 131072)!]).toEqual([
      ...llama3RopeFactors(8, 10000, LLAMA3),
    ]);
    expect([...ropeFactorsFromHfConfig({ type: 'linear', factor: 2 }, 8, 10000, 2048)!]).toEqual([
      2, 2, 2, 2,
    ]);
    expect(ropeFactorsFromHfConfig(null, 8, 10000, 2048)).toBeUndefined();
    expect(() => ropeFactorsFromHfConfig({ rope_type: 'yarn', factor: 4 }, 8, 10000, 2048)).toThrow(
      UnsupportedRopeScalingError,
    );
    expect(() => ropeFactorsFromHfConfig({ rope_type: 'yarn', factor: 4 }, 8, 10000, 2048)).toThrow(/"yarn"/);
  });

  it('the rope reference divides pair j by factor j: factors 2 at position 6 equal unscaled position 3', () => {
    const x = Float32Array.from({ length: 8 }, (_, i) => (i % 3) - 0.5); // [1, 8]
    const scaled = ropeReference(x, 1, 8, {
      headDim: 8,
      positionStart: 6,
      theta: 100,
      freqFactors: new Float32Array(4).fill(2),
    });
    const plain = ropeReference(x, 1, 8, { headDim: 8, positionStart: 3, theta: 100 });
    scaled.forEach((v, i) => expect(v).toBeCloseTo(plain[i], 6));
  });

  it('GGUF: rope_freqs.weight written by our writer comes back as config.ropeFactors; linear from metadata', () => {
    const config = { ...TINY_CONFIG, ropeFactors: Float32Array.of(1, 4.5) }; // headDim 4 → 2 pairs
    const weights = tinyLlamaWeights(5, config);
    const { bytes } = writeLlamaGguf(weights, llamaGgufMetadata(config, null, 'F32'), () => 'F32');
    expect([...loadGgufLlama(bytes).weights.config.ropeFactors!]).toEqual([1, 4.5]);
    const plain = tinyLlamaWeights(5);
    const linear = tinyLlamaGguf(plain, [
      ['llama.rope.scaling.type', meta.str('linear')],
      ['llama.rope.scaling.factor', meta.f32(4)],
    ]);
    expect([...loadGgufLlama(linear).weights.config.ropeFactors!]).toEqual([4, 4]);
    expect(loadGgufLlama(tinyLlamaGguf(plain)).weights.config.ropeFactors).toBeUndefined();
  });

  it('GGUF: an unknown llama.rope.scaling.type is refused by name', () => {
    const yarn = tinyLlamaGguf(tinyLlamaWeights(5), [['llama.rope.scaling.type', meta.str('yarn')]]);
    expect(() => loadGgufLlama(yarn)).toThrow(UnsupportedRopeScalingError);
  });
});
