import { describe, expect, it } from 'vitest';
import { discreteBetaSchedule } from '@dlm/schedules';
import { GaussianEmbeddingProcess } from './gaussian-process.ts';

const B = 2,
  L = 3,
  D = 2;
const x0 = { data: Float64Array.from({ length: B * L * D }, (_, i) => 0.1 * i - 0.5), shape: [B, L, D] };
const noise = { data: Float64Array.from({ length: B * L * D }, (_, i) => Math.sin(i + 1)), shape: [B, L, D] };

describe('GaussianEmbeddingProcess (host float64)', () => {
  const p = GaussianEmbeddingProcess.named('sqrt', 20);
  const p64 = GaussianEmbeddingProcess.named('sqrt', 20, { coefDtype: 'float64' });
  const tb = p.schedule.tables;

  it('q_sample = sqrt(ᾱ_t)·x0 + sqrt(1−ᾱ_t)·ε with float32-rounded coefficients', () => {
    const t = [3, 19];
    const xt = p.qSample(x0, t, noise);
    for (let i = 0; i < xt.data.length; i++) {
      const b = Math.floor(i / (L * D));
      const a = Math.fround(tb.sqrtAlphasCumprod[t[b]!]!),
        s = Math.fround(tb.sqrtOneMinusAlphasCumprod[t[b]!]!);
      expect(xt.data[i]).toBe(a * x0.data[i]! + s * noise.data[i]!);
    }
    const xt64 = p64.qSample(x0, t, noise);
    expect(xt64.data[7]).toBe(
      tb.sqrtAlphasCumprod[19]! * x0.data[7]! + tb.sqrtOneMinusAlphasCumprod[19]! * noise.data[7]!,
    );
    expect(xt64.data[7]).not.toBe(xt.data[7]);
  });

  it('partial noising keeps x0 where mask == 0 (DiffuSeq source positions)', () => {
    const mask = { data: Int32Array.of(0, 1, 1, 0, 0, 1), shape: [B, L] };
    const full = p.qSample(x0, [5, 5], noise);
    const part = p.qSample(x0, [5, 5], noise, mask);
    for (let pos = 0; pos < B * L; pos++) {
      for (let d = 0; d < D; d++) {
        const i = pos * D + d;
        expect(part.data[i]).toBe(mask.data[pos] === 0 ? x0.data[i] : full.data[i]);
      }
    }
  });

  it('q_mean_variance and the posterior agree with the tables', () => {
    const mv = p64.qMeanVariance(x0, [0, 10]);
    expect(mv.mean.data[L * D]).toBe(tb.sqrtAlphasCumprod[10]! * x0.data[L * D]!);
    expect(mv.variance.data[0]).toBe(1 - tb.alphasCumprod[0]!);
    expect(mv.logVariance.data[L * D + 1]).toBe(Math.log(1 - tb.alphasCumprod[10]!));
    // A noiseless x_t gives posterior mean sqrt(ᾱ_{t−1})·x0.
    const t = [4, 12];
    const xt = p64.qSample(x0, t, { data: new Float64Array(x0.data.length), shape: x0.shape });
    const post = p64.qPosteriorMeanVariance(x0, xt, t);
    for (let i = 0; i < x0.data.length; i++) {
      const b = Math.floor(i / (L * D));
      expect(post.mean.data[i]).toBeCloseTo(Math.sqrt(tb.alphasCumprodPrev[t[b]!]!) * x0.data[i]!, 12);
    }
    expect(post.variance.data[0]).toBe(tb.posteriorVariance[4]);
    expect(post.logVarianceClipped.data[L * D]).toBe(tb.posteriorLogVarianceClipped[12]);
  });

  it('the model sees t·1000/T of the original (respaced) timestep, in float32', () => {
    expect(Array.from(p.modelTimesteps([0, 7, 19]))).toEqual([0, 350, 950]);
    const spaced = new GaussianEmbeddingProcess(discreteBetaSchedule('sqrt', 300, { useTimesteps: [0, 150, 299] }));
    expect(Array.from(spaced.modelTimesteps([1, 2]))).toEqual([
      Math.fround(Math.fround(150) * Math.fround(1000 / 300)),
      Math.fround(Math.fround(299) * Math.fround(1000 / 300)),
    ]);
    const raw = GaussianEmbeddingProcess.named('sqrt', 20, { rescaleTimesteps: false });
    expect(Array.from(raw.modelTimesteps([3]))).toEqual([3]);
  });

  it('t [B, L]: equal to per-row t when a row shares one t; else each position its own coefficients', () => {
    const rowT = [3, 19];
    const posT = [3, 3, 3, 19, 19, 19];
    const mask = { data: Int32Array.of(0, 1, 1, 0, 0, 1), shape: [B, L] };
    expect(Array.from(p.qSample(x0, posT, noise, mask).data)).toEqual(
      Array.from(p.qSample(x0, rowT, noise, mask).data),
    );
    const mvRow = p.qMeanVariance(x0, rowT);
    const mvPos = p.qMeanVariance(x0, posT);
    for (const k of ['mean', 'variance', 'logVariance'] as const)
      expect(Array.from(mvPos[k].data)).toEqual(Array.from(mvRow[k].data));
    const postRow = p.qPosteriorMeanVariance(x0, noise, rowT);
    const postPos = p.qPosteriorMeanVariance(x0, noise, posT);
    for (const k of ['mean', 'variance', 'logVarianceClipped'] as const)
      expect(Array.from(postPos[k].data)).toEqual(Array.from(postRow[k].data));
    // AR-Diffusion-like times, rising left to right: position (b, j) uses table[t[b·L + j]].
    const t = [0, 5, 11, 2, 7, 19];
    const xt = p.qSample(x0, t, noise);
    const post = p.qPosteriorMeanVariance(x0, noise, t);
    for (let i = 0; i < xt.data.length; i++) {
      const s = t[Math.floor(i / D)]!;
      const a = Math.fround(tb.sqrtAlphasCumprod[s]!),
        c = Math.fround(tb.sqrtOneMinusAlphasCumprod[s]!);
      expect(xt.data[i]).toBe(a * x0.data[i]! + c * noise.data[i]!);
      const c1 = Math.fround(tb.posteriorMeanCoef1[s]!),
        c2 = Math.fround(tb.posteriorMeanCoef2[s]!);
      expect(post.mean.data[i]).toBe(c1 * x0.data[i]! + c2 * noise.data[i]!);
      expect(post.variance.data[i]).toBe(Math.fround(tb.posteriorVariance[s]!));
    }
    expect(Array.from(p.modelTimesteps(t))).toEqual(t.map((s) => Math.fround(s * Math.fround(1000 / 20))));
    expect(() => p.qSample(x0, [1, 2, 3, 4], noise)).toThrow(/gaussian\.qSample: t.*2 timesteps.*or 6/);
  });

  it('bad inputs name the operation and the argument', () => {
    expect(() => p.qSample(x0, [0, 20], noise)).toThrow(/gaussian\.qSample: t\[1\].*\[0, 20\)/);
    expect(() => p.qSample(x0, [0, -1], noise)).toThrow(/t\[1\]/);
    expect(() => p.qSample(x0, [0], noise)).toThrow(/gaussian\.qSample: t.*2 timesteps/);
    expect(() => p.qSample(x0, [0, 1], { data: new Float64Array(4), shape: [2, 2] })).toThrow(
      /gaussian\.qSample: x_start and noise/,
    );
    expect(() => p.qSample(x0, [0, 1], noise, { data: new Int32Array(4), shape: [2, 2] })).toThrow(
      /gaussian\.qSample: mask.*\[2,3\]/,
    );
    expect(() => p.qSample(x0, [0, 1], noise, { data: new Int32Array(6).fill(2), shape: [2, 3] })).toThrow(
      /mask.*0 \(source, kept\) or 1/,
    );
  });
});
