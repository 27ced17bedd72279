// Test helper: a tiny deterministic MDLM backbone whose logits depend on x (so caching matters).
import { Rng, type Nd } from '@dlm/core';
import { loglinear as loglinearSchedule } from '@dlm/schedules';
import type { MdlmStepContext } from './types.ts';

export const V = 6,
  MASK = 5,
  eps = 1e-3;
export const loglinear = loglinearSchedule({ eps });
export function ctxWith(counter: { calls: number }, timeConditioning = false): MdlmStepContext {
  return {
    vocabSize: V,
    maskIndex: MASK,
    noise: loglinear,
    timeConditioning,
    backbone: (x) => {
      counter.calls++;
      const [b, l] = x.shape as [number, number];
      const out = new Float32Array(b * l * V);
      for (let r = 0; r < b; r++) {
        let masks = 0;
        for (let j = 0; j < l; j++) if (x.data[r * l + j] === MASK) masks++;
        for (let i = 0; i < l; i++)
          for (let v = 0; v < V; v++) out[(r * l + i) * V + v] = -0.3 * (v - ((i + masks) % (V - 1))) ** 2;
      }
      return out;
    },
  };
}
export const x: Nd<Int32Array> = { data: Int32Array.from([MASK, 2, MASK, MASK, 0, MASK]), shape: [2, 3] };
export const uniforms = (seed: number) => Rng.seeded(seed).uniforms(2 * 3 * V);
