import { describe, expect, it } from 'vitest';
import { Rng } from '@dlm/core';
import { GaussianEmbeddingProcess, embedTokens, roundToEmbedding } from '@dlm/processes';
import { arDiffusionSamplingSchedule, arDiffusionSentenceSteps, gaussianArDiffusionLoop } from './ar-diffusion-loop.ts';
import type { HostDenoiser } from './loop-common.ts';
import { respaceGaussianProcess } from './respace.ts';
import { gaussianSkipStep } from './skip-step.ts';
import { drawNoise, initialSample } from './loop-common.ts';

const B = 2,
  L = 6,
  D = 2;
const E = { data: Float64Array.of(0.9, 0.1, -0.6, 0.8, 0.2, -1), shape: [3, 2] };
const ids = { data: Int32Array.of(2, 0, 1, 1, 0, 2, 2, 1, 0, 0, 2, 1), shape: [B, L] };
const xTarget = embedTokens(ids, E);
const oracle: HostDenoiser = (x) => ({ data: Float64Array.from(xTarget.data), shape: x.shape });
// Row 0: source of 2 (BOS + 1), target of 4; row 1: source of 3, target of 3.
const mask = { data: Int32Array.of(0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1), shape: [B, L] };

describe('AR-Diffusion sampling schedule', () => {
  it('the skipping rule: every ⌊(N + T)/steps⌋-th sentence step from N + T − 1, then 0', () => {
    expect(arDiffusionSentenceSteps(10, 3)).toEqual([9, 6, 3, 0]);
    expect(arDiffusionSentenceSteps(10, 4)).toEqual([9, 7, 5, 3, 0]);
    expect(arDiffusionSentenceSteps(10, 1)).toEqual([9, 0]);
    // steps = N + T: the stride is 1 and lands on 0 itself, so the reference makes N + T − 1 calls.
    expect(arDiffusionSentenceSteps(10, 10)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(() => arDiffusionSentenceSteps(10, 11)).toThrow(/arDiffusionSentenceSteps: steps.*\[1, 10\]/);
    expect(() => arDiffusionSentenceSteps(10, 0)).toThrow(/steps/);
  });

  it('per step: source at 0, target non-decreasing left to right; per position non-increasing; ends at 0', () => {
    for (const [T, steps, scale] of [
      [20, 5, 2],
      [20, 23, 2],
      [50, 7, 3],
      [8, 11, 1.5],
    ] as const) {
      const { sentenceSteps, times } = arDiffusionSamplingSchedule(mask, T, steps, scale);
      expect(sentenceSteps[0]).toBe(4 + T - 1); // N = the longest target (row 0: 4)
      expect(sentenceSteps.length - 1).toBe(steps); // NFE = steps (the stride never lands on 0 here)
      for (let i = 0; i < times.length; i++) {
        const t = times[i]!;
        for (let b = 0; b < B; b++) {
          for (let j = 0; j < L; j++) {
            const v = t[b * L + j]!;
            if (mask.data[b * L + j] === 0) expect(v).toBe(0);
            else if (j > 0 && mask.data[b * L + j - 1] === 1) expect(v).toBeGreaterThanOrEqual(t[b * L + j - 1]!);
            if (i > 0) expect(v).toBeLessThanOrEqual(times[i - 1]![b * L + j]!);
          }
        }
      }
      // All noisy (T − 1) at the start, all clean at the end.
      expect(Array.from(times[0]!)).toEqual(Array.from(mask.data, (m) => (m ? T - 1 : 0)));
      expect(Array.from(times[times.length - 1]!)).toEqual(new Array(B * L).fill(0));
      // The left of the target is ahead: at some visited step row 0's first target token is strictly less noisy.
      expect(times.some((t) => t[2]! < t[5]!)).toBe(true);
      // With a step at every sentence step, it is clean while the last is not.
      if (steps > T) expect(times.some((t) => t[2] === 0 && t[5]! > 0)).toBe(true);
    }
  });
});

describe('gaussianArDiffusionLoop', () => {
  const p = GaussianEmbeddingProcess.named('sqrt', 30);
  const T = 30;

  it('calls the model steps times with the schedule’s per-position t (and t·1000/T); same seed, same sample', () => {
    const seen: { t: number[]; m: number[] }[] = [];
    const model: HostDenoiser = (x, modelT, t) => {
      seen.push({ t: Array.from(t), m: Array.from(modelT) });
      return oracle(x, modelT, t);
    };
    const xStart = embedTokens(ids, E);
    const anchor = { mask, xStart };
    const r = gaussianArDiffusionLoop(p, { shape: [B, L, D], model, rng: Rng.seeded(3), steps: 6, anchor });
    expect(r.nfe).toBe(6);
    expect(seen).toHaveLength(6);
    const { times, sentenceSteps } = arDiffusionSamplingSchedule(mask, T, 6);
    expect(r.sentenceSteps).toEqual(sentenceSteps);
    seen.forEach((c, i) => {
      expect(c.t).toEqual(Array.from(times[i]!));
      expect(c.m).toEqual(c.t.map((s) => Math.fround(s * Math.fround(1000 / T))));
    });
    expect(r.timesteps.map((t) => Array.from(t))).toEqual(seen.map((c) => c.t));
    const again = gaussianArDiffusionLoop(p, { shape: [B, L, D], model: oracle, rng: Rng.seeded(3), steps: 6, anchor });
    expect(Array.from(again.sample.data)).toEqual(Array.from(r.sample.data));
    // Source positions are x_start; with an oracle x̂0 (rounded to E) every target token decodes to its id.
    for (let pos = 0; pos < B * L; pos++)
      if (mask.data[pos] === 0)
        for (let d = 0; d < D; d++) expect(r.sample.data[pos * D + d]).toBe(xStart.data[pos * D + d]);
    expect(Array.from(roundToEmbedding(r.sample, E).tokens.data)).toEqual(Array.from(ids.data));
  });

  it('is the skip step over the schedule (both kinds), drawing x_T then one noise per call', () => {
    for (const kind of ['posterior', 'ddim'] as const) {
      const model: HostDenoiser = (x) => ({
        data: x.data.map((v, i) => 0.5 * v + 0.1 * xTarget.data[i]!),
        shape: x.shape,
      });
      const opts = { shape: [B, L, D] as const, model, steps: 4, kind, eta: 0.5, targetMask: mask };
      const r = gaussianArDiffusionLoop(p, { ...opts, rng: Rng.seeded(9) });
      const rng = Rng.seeded(9);
      const { times } = arDiffusionSamplingSchedule(mask, T, 4);
      let x = initialSample(rng, [B, L, D]);
      for (let i = 0; i < 4; i++) {
        const t = times[i]!;
        const noise = { data: drawNoise(rng, B * L * D, 0), shape: [B, L, D] };
        const modelOutput = model(x, p.modelTimesteps(t), t);
        x = gaussianSkipStep(p, { x, t, nextT: times[i + 1]!, modelOutput, noise, kind, eta: 0.5 }).sample;
      }
      expect(Array.from(r.sample.data)).toEqual(Array.from(x.data));
    }
  });

  it('rounds where roundWhen(k) holds (k = calls left − 1) and names bad arguments', () => {
    const ks: number[] = [];
    gaussianArDiffusionLoop(p, {
      shape: [B, L, D],
      model: oracle,
      rng: Rng.seeded(1),
      steps: 5,
      roundTo: E,
      roundWhen: (k) => (ks.push(k), k < 2),
    });
    expect(ks).toEqual([4, 3, 2, 1, 0]);
    const run =
      (o: Record<string, unknown>, proc = p) =>
      () =>
        gaussianArDiffusionLoop(proc, { shape: [B, L, D], model: oracle, rng: Rng.seeded(1), steps: 5, ...o });
    expect(run({ steps: L + T + 1 })).toThrow(/arDiffusionSentenceSteps: steps.*\[1, 36\]/);
    expect(run({ targetMask: { data: new Int32Array(4), shape: [2, 2] } })).toThrow(
      /gaussian\.arDiffusionLoop: targetMask.*\[2,6\]/,
    );
    expect(run({}, respaceGaussianProcess(p, [10]))).toThrow(/gaussian\.arDiffusionLoop: process.*no respacing/);
  });
});
