import { describe, expect, it } from 'vitest';
import { GaussianEmbeddingProcess, pMeanVariance } from '@dlm/processes';
import { gaussianPSample } from './p-sample.ts';

const B = 2,
  L = 3,
  D = 2;
const shape = [B, L, D];
const nd = (f: (i: number) => number) => ({ data: Float64Array.from({ length: B * L * D }, (_, i) => f(i)), shape });
const E = { data: Float64Array.of(0, 0, 1, -1, -0.5, 2), shape: [3, 2] };

describe('gaussianPSample', () => {
  const p = GaussianEmbeddingProcess.named('sqrt', 40);
  const x = nd((i) => Math.cos(i));
  const out = nd((i) => 0.8 * Math.sin(2 * i));
  const noise = nd((i) => Math.sin(i + 0.3));

  it('sample = mean + [t ≠ 0]·σ·ε with σ = float32(exp(½·log_variance))', () => {
    const t = [0, 13];
    const r = gaussianPSample(p, { x, t, modelOutput: out, noise });
    const mv = pMeanVariance(p, { x, t, modelOutput: out });
    for (let i = 0; i < B * L * D; i++) {
      const b = Math.floor(i / (L * D));
      const sd = Math.fround(Math.exp(0.5 * mv.logVariance.data[i]!));
      expect(r.sample.data[i]).toBe(b === 0 ? mv.mean.data[i] : mv.mean.data[i]! + sd * noise.data[i]!);
    }
    expect(Array.from(r.greedyMean.data)).toEqual(Array.from(mv.mean.data));
    expect(r.variance.data[L * D]).toBe(Math.fround(p.schedule.tables.betas[13]!));
  });

  it('per-position t [B, L]: rows of one t give the per-row sample exactly; t = 0 positions get no noise', () => {
    const row = gaussianPSample(p, { x, t: [4, 13], modelOutput: out, noise });
    const pos = gaussianPSample(p, { x, t: [4, 4, 4, 13, 13, 13], modelOutput: out, noise });
    expect(Array.from(pos.sample.data)).toEqual(Array.from(row.sample.data));
    const mixed = gaussianPSample(p, { x, t: [0, 4, 13, 0, 0, 39], modelOutput: out, noise });
    const mv = pMeanVariance(p, { x, t: [0, 4, 13, 0, 0, 39], modelOutput: out });
    for (let i = 0; i < B * L * D; i++) {
      const sd = Math.fround(Math.exp(0.5 * mv.logVariance.data[i]!));
      const zero = [0, 3, 4].includes(Math.floor(i / D));
      expect(mixed.sample.data[i]).toBe(zero ? mv.mean.data[i] : mv.mean.data[i]! + sd * noise.data[i]!);
    }
  });

  it('anchors source positions to x_start and rounds pred_x0 to embedding rows', () => {
    const mask = { data: Int32Array.of(0, 1, 1, 0, 0, 1), shape: [B, L] };
    const xStart = nd((i) => 10 + i);
    const r = gaussianPSample(p, { x, t: [5, 5], modelOutput: out, noise, roundTo: E, anchor: { mask, xStart } });
    for (let pos = 0; pos < B * L; pos++) {
      if (mask.data[pos] === 0)
        for (let d = 0; d < D; d++) expect(r.sample.data[pos * D + d]).toBe(xStart.data[pos * D + d]);
      const row = [r.predXstart.data[pos * D], r.predXstart.data[pos * D + 1]];
      expect([
        [0, 0],
        [1, -1],
        [-0.5, 2],
      ]).toContainEqual(row);
    }
  });

  it('rejects a rounding table of another width and a misshapen anchor', () => {
    expect(() =>
      gaussianPSample(p, {
        x,
        t: [1, 1],
        modelOutput: out,
        noise,
        roundTo: { data: new Float64Array(6), shape: [2, 3] },
      }),
    ).toThrow(/gaussian\.pSample: modelOutput and embedding/);
    expect(() =>
      gaussianPSample(p, {
        x,
        t: [1, 1],
        modelOutput: out,
        noise,
        anchor: {
          mask: { data: new Int32Array(6), shape: [B, L] },
          xStart: { data: new Float64Array(4), shape: [2, 2] },
        },
      }),
    ).toThrow(/anchor\.xStart/);
    expect(() => gaussianPSample(p, { x, t: [1, 40], modelOutput: out, noise })).toThrow(/t\[1\]/);
  });
});
