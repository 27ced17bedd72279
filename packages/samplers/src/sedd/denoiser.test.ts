import { describe, expect, it } from 'vitest';
import { Rng, type Nd } from '@dlm/core';
import { absorbingGraph, uniformGraph } from '@dlm/processes';
import { loglinear } from '@dlm/schedules';
import { seddDenoiserStep } from './denoiser.ts';
import { trueScoreModel } from './testing/true-score.ts';

describe('SEDD denoiser step', () => {
  const noise = loglinear({ eps: 1e-3 });
  it('absorbing: drops the mask column (wherever it is) and never returns the mask', () => {
    for (const mask of [3, 0]) {
      const graph = absorbingGraph({ dim: 4, maskIndex: mask });
      const p0 = [0.2, 0.3, 0.5, 0.4].map((v, k) => (k === mask ? 0 : v));
      const x: Nd<Int32Array> = { data: new Int32Array(400).fill(mask), shape: [100, 4] };
      const r = seddDenoiserStep(
        { graph, noise, model: trueScoreModel(graph, p0) },
        x,
        new Float64Array(100).fill(0.5),
        Rng.seeded(mask).uniforms(400 * 3),
      );
      expect(r.probs.shape).toEqual([100, 4, 3]);
      expect(r.xNext.data.every((v) => v !== mask)).toBe(true);
      expect(new Set(r.xNext.data).size).toBe(3);
    }
  });

  it('uniform: keeps all D columns; probs = staggered(score, σ) ⊙ transp_transition(x, σ)', () => {
    const graph = uniformGraph({ dim: 3 });
    const x: Nd<Int32Array> = { data: Int32Array.from([0, 2]), shape: [1, 2] };
    const model = () => Float64Array.from([0, 1, -1, 0.5, 0, 0]);
    const r = seddDenoiserStep({ graph, noise, model }, x, [0.3], new Float64Array(6).fill(0.5));
    const sigma = noise.totalNoise(0.3);
    const stag = graph.staggeredScore({ data: Float64Array.from([0, 1, -1, 0.5, 0, 0], Math.exp), shape: [1, 2, 3] }, [
      sigma,
    ]).data;
    const tr = graph.transpTransition(x, [sigma]).data;
    expect([...r.probs.data]).toEqual([...stag].map((v, k) => v * tr[k]!));
  });
});
