// The choice between LLaDA's and Fast-dLLM's generation, and Fast-dLLM's knob rules with their named errors.
import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, type Nd } from '@dlm/core';
import type { GenerateKnobs } from '../../layouts/layout.ts';
import { checkFastDllmKnobs, isFastDllm, lladaGenerate } from './generation.ts';

const knobs = (k: Partial<GenerateKnobs> = {}): GenerateKnobs => ({
  genLength: 4,
  steps: 4,
  blockLength: 4,
  temperature: 0,
  remasking: 'low_confidence',
  cfgScale: 0,
  topK: 0,
  topP: 1,
  ...k,
});
const V = 6;
const MASK = 5;
/** Confident in id (position mod 5) everywhere; counts its calls. */
function model() {
  let calls = 0;
  const predict = (x: Nd<Int32Array>) => {
    calls++;
    const [b, l] = x.shape as [number, number];
    const out = new Float32Array(b * l * V);
    for (let i = 0; i < b * l; i++) out[i * V + ((i % l) % 5)] = 10;
    return out;
  };
  return { predict, who: 'backbone dit', calls: () => calls };
}
const prompt: Nd<Int32Array> = { data: Int32Array.from([1, 2]), shape: [1, 2] };
const ids = { maskId: MASK, vocabSize: V };

describe('llada generation', () => {
  it("any Fast-dLLM knob selects Fast-dLLM's generation; none keeps LLaDA's", () => {
    expect(isFastDllm(knobs())).toBe(false);
    expect(isFastDllm(knobs({ cache: 'none' }))).toBe(true);
    expect(isFastDllm(knobs({ threshold: 0.9 }))).toBe(true);
    const plain = model();
    const a = lladaGenerate(plain, { ...knobs(), prompt, rng: Rng.seeded(1) }, ids, 'op');
    expect(a.nfe).toBe(4); // LLaDA: exactly `steps` calls
    const fast = model();
    const b = lladaGenerate(fast, { ...knobs({ threshold: 0.5 }), prompt, rng: Rng.seeded(1) }, ids, 'op');
    expect(b.nfe).toBe(1); // confident everywhere: the whole block in one call
    expect(Array.from(b.x.data)).toEqual(Array.from(a.x.data));
    expect(Array.from(b.x.data)).toEqual([1, 2, 2, 3, 4, 0]);
  });

  it('names the bad combinations', () => {
    const bad = (k: Partial<GenerateKnobs>, re: RegExp) => {
      expect(() => checkFastDllmKnobs(knobs(k), 'op')).toThrow(ConfigError);
      expect(() => checkFastDllmKnobs(knobs(k), 'op')).toThrow(re);
    };
    bad({ threshold: 0.9, factor: 1 }, /--threshold, --factor.*expected one of them/);
    bad({ cacheLoop: 'call-first' }, /--cache-loop.*expected --cache prefix\|dual with it, got --cache absent/);
    bad({ cache: 'none', cacheLoop: 'call-first' }, /got --cache none/);
    bad({ cache: 'prefix', cacheLoop: 'v1' }, /--cache-loop, expected one of check-first, call-first/);
    bad({ cache: 'kv' }, /--cache, expected one of none, prefix, dual/);
    bad({ threshold: 0 }, /--threshold, expected a number in \(0, 1\]/);
    bad({ factor: 0 }, /--factor, expected a finite number > 0/);
    bad({ cache: 'dual', remasking: 'random' }, /--remasking, expected low_confidence/);
    bad({ threshold: 0.5, cfgScale: 2 }, /--cfg-scale, expected 0/);
    expect(() => checkFastDllmKnobs(knobs({ cache: 'dual', cacheLoop: 'call-first', factor: 2 }), 'op')).not.toThrow();
    expect(() => checkFastDllmKnobs(knobs({ remasking: 'random', cfgScale: 1 }), 'op')).not.toThrow(); // not Fast-dLLM
  });

  it('a cache on a backbone without one, and left-padded prompts, are named errors', () => {
    const req = (k: Partial<GenerateKnobs>, attention?: Nd<Int32Array>) => ({
      ...knobs(k),
      prompt,
      rng: Rng.seeded(1),
      ...(attention ? { attention } : {}),
    });
    expect(() => lladaGenerate(model(), req({ cache: 'dual' }), ids, 'op')).toThrow(
      /--cache backbone dit has no bidirectional KV cache, expected none with this model/,
    );
    const padded = { data: Int32Array.from([0, 1]), shape: [1, 2] };
    expect(() => lladaGenerate(model(), req({ threshold: 0.9 }, padded), ids, 'op')).toThrow(
      /prompts .*ignores the attention mask.*expected prompts of one length/,
    );
    expect(lladaGenerate(model(), req({ cache: 'none' }), ids, 'op').nfe).toBe(4);
  });
});
