import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, type Nd } from '@dlm/core';
import { rngLladaDraws } from './draws.ts';
import { generate, type GenerateStepRecord } from './generate.ts';
import type { MaskPredictor } from './types.ts';

const V = 6,
  MASK = 5;
// A deterministic toy predictor: prefers token (position + count of mask tokens) mod 5, never the mask.
const toy: MaskPredictor = (x) => {
  const [rows, L] = x.shape as [number, number];
  const out = new Float32Array(rows * L * V);
  for (let r = 0; r < rows; r++) {
    let masks = 0;
    for (let j = 0; j < L; j++) if (x.data[r * L + j] === MASK) masks++;
    for (let i = 0; i < L; i++) {
      for (let v = 0; v < V; v++)
        out[(r * L + i) * V + v] = v === MASK ? -10 : -Math.abs(v - ((i + masks) % 5)) - 0.1 * i;
    }
  }
  return out;
};
const prompt: Nd<Int32Array> = { data: Int32Array.from([1, 2, 0, 3]), shape: [2, 2] };

describe('llada.generate', () => {
  it('keeps the prompt and committed tokens, fills every mask, one NFE per step', () => {
    const recs: GenerateStepRecord[] = [];
    const res = generate(toy, prompt, {
      steps: 4,
      genLength: 6,
      blockLength: 3,
      maskId: MASK,
      vocabSize: V,
      onStep: (r) => recs.push(r),
    });
    expect(res.nfe).toBe(4);
    expect(res.x.shape).toEqual([2, 8]);
    expect(Array.from(res.x.data).includes(MASK)).toBe(false);
    for (const r of recs) {
      for (let i = 0; i < r.xBefore.data.length; i++) {
        if (r.xBefore.data[i] !== MASK) expect(r.xAfter.data[i]).toBe(r.xBefore.data[i]);
      }
      expect([r.xAfter.data[0], r.xAfter.data[1], r.xAfter.data[8], r.xAfter.data[9]]).toEqual([1, 2, 0, 3]);
    }
    // Semi-AR: after the first block's two steps, the second block (positions 5..7) is untouched.
    const afterBlock1 = recs[1]!.xAfter.data;
    expect([afterBlock1[5], afterBlock1[6], afterBlock1[7]]).toEqual([MASK, MASK, MASK]);
    expect([afterBlock1[2], afterBlock1[3], afterBlock1[4]].includes(MASK)).toBe(false);
  });

  it('is reproducible from a seed with temperature and random remasking', () => {
    const run = (seed: number) =>
      Array.from(
        generate(toy, prompt, {
          steps: 3,
          genLength: 3,
          blockLength: 3,
          maskId: MASK,
          vocabSize: V,
          temperature: 1,
          remasking: 'random',
          draws: rngLladaDraws(Rng.seeded(seed)),
        }).x.data,
      );
    expect(run(4)).toEqual(run(4));
    const outs = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => run(s).join(',')));
    expect(outs.size).toBeGreaterThan(1);
  });

  it('CFG runs the model once on [x ; x with the prompt masked]', () => {
    const inputs: Nd<Int32Array>[] = [];
    const spy: MaskPredictor = (x, a) => {
      inputs.push(x);
      expect(a?.shape).toEqual([4, 4]);
      return toy(x);
    };
    generate(spy, prompt, {
      steps: 2,
      genLength: 2,
      blockLength: 2,
      maskId: MASK,
      vocabSize: V,
      cfgScale: 1,
      attentionMask: { data: Int32Array.from([1, 1, 0, 1]), shape: [2, 2] },
    });
    expect(inputs.length).toBe(2);
    expect(inputs[0]!.shape).toEqual([4, 4]);
    expect(Array.from(inputs[0]!.data.subarray(8))).toEqual([MASK, MASK, MASK, MASK, MASK, MASK, MASK, MASK]);
  });

  it('names the op and the argument on bad input', () => {
    const o = { steps: 2, genLength: 2, blockLength: 2, maskId: MASK, vocabSize: V };
    expect(() => generate(toy, { data: Int32Array.from([1, 9]), shape: [1, 2] }, o)).toThrow(/llada.generate: prompt/);
    expect(() => generate(toy, prompt, { ...o, steps: 3, blockLength: 1 })).toThrow(/llada.generate: steps/);
    expect(() => generate(toy, prompt, { ...o, temperature: -1 })).toThrow(ConfigError);
    expect(() => generate(toy, prompt, { ...o, remasking: 'entropy' })).toThrow(/low_confidence, random/);
    expect(() => generate(toy, prompt, { ...o, remasking: 'entropy' })).toThrow(ConfigError);
    expect(() => generate(toy, prompt, { ...o, remasking: 'entropy' })).toThrow(/llada.generate: remasking/);
    // gen_length not a multiple of block_length; steps not a multiple of the number of blocks.
    expect(() => generate(toy, prompt, { ...o, genLength: 5, blockLength: 2 })).toThrow(ConfigError);
    const notDivisor = /llada.generate: blockLength.*divisor of genLength 5/;
    expect(() => generate(toy, prompt, { ...o, genLength: 5, blockLength: 2 })).toThrow(notDivisor);
    expect(() => generate(toy, prompt, { ...o, steps: 3, genLength: 4, blockLength: 2 })).toThrow(ConfigError);
    const notMultiple = /multiple of the number of blocks 2/;
    expect(() => generate(toy, prompt, { ...o, steps: 3, genLength: 4, blockLength: 2 })).toThrow(notMultiple);
    expect(() => generate(toy, prompt, { ...o, temperature: 0.5 })).toThrow(/draws/);
  });

  it('terminates after exactly `steps` calls even when the model only predicts the mask id', () => {
    let calls = 0;
    const maskOnly: MaskPredictor = (x) => {
      calls++;
      const out = new Float32Array(x.data.length * V);
      for (let i = 0; i < x.data.length; i++) out[i * V + MASK] = 5; // argmax = MASK everywhere
      return out;
    };
    const res = generate(maskOnly, prompt, { steps: 6, genLength: 6, blockLength: 2, maskId: MASK, vocabSize: V });
    expect([calls, res.nfe]).toEqual([6, 6]);
    // The prompt is kept and the predicted masks stay masks (the reference returns them too).
    const masks = new Array(6).fill(MASK);
    expect(Array.from(res.x.data)).toEqual([1, 2, ...masks, 0, 3, ...masks]);
  });
});
