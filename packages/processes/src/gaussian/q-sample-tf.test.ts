import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, tensorCountDelta } from '@dlm/core';
import { GaussianEmbeddingProcess } from './gaussian-process.ts';
import { qSampleTf, scaleByCoefTf } from './q-sample-tf.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const shape = [2, 3, 2];
const n = 12;
const x0 = Float64Array.from({ length: n }, (_, i) => 0.2 * i - 1);
const eps = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
const mask = { data: Int32Array.of(0, 1, 1, 1, 0, 1), shape: [2, 3] };

describe('qSampleTf', () => {
  const p = GaussianEmbeddingProcess.named('sqrt', 50);

  it('matches the host q_sample (float32 tolerance), with and without the mask', () => {
    const t = [7, 42];
    const host = p.qSample({ data: x0, shape }, t, { data: eps, shape }, mask);
    const got = tf.tidy(() =>
      qSampleTf(
        p,
        tf.tensor(Float32Array.from(x0), shape),
        t,
        tf.tensor(Float32Array.from(eps), shape),
        mask,
      ).dataSync(),
    );
    for (let i = 0; i < n; i++)
      expect(Math.abs(got[i]! - host.data[i]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(host.data[i]!));
    const q = tf.tidy(() =>
      scaleByCoefTf(p, 'sqrtAlphasCumprod', t, tf.tensor(Float32Array.from(x0), shape)).dataSync(),
    );
    expect(q[11]).toBeCloseTo(p.schedule.tables.sqrtAlphasCumprod[42]! * x0[11]!, 5);
  });

  it('t [B, L]: exactly the per-row result when a row shares t; else the host per-position q_sample', () => {
    const run = (t: number[], m?: typeof mask) =>
      tf.tidy(() =>
        Array.from(
          qSampleTf(
            p,
            tf.tensor(Float32Array.from(x0), shape),
            t,
            tf.tensor(Float32Array.from(eps), shape),
            m,
          ).dataSync(),
        ),
      );
    expect(run([7, 7, 7, 42, 42, 42], mask)).toEqual(run([7, 42], mask));
    const t = [0, 13, 40, 5, 6, 49];
    const host = p.qSample({ data: x0, shape }, t, { data: eps, shape });
    const got = run(t);
    for (let i = 0; i < n; i++)
      expect(Math.abs(got[i]! - host.data[i]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(host.data[i]!));
    const scaled = tf.tidy(() =>
      Array.from(scaleByCoefTf(p, 'sqrtAlphasCumprod', t, tf.tensor(Float32Array.from(x0), shape)).dataSync()),
    );
    expect(scaled[11]).toBeCloseTo(p.schedule.tables.sqrtAlphasCumprod[49]! * x0[11]!, 5);
    expect(scaled[2]).toBeCloseTo(p.schedule.tables.sqrtAlphasCumprod[13]! * x0[2]!, 5);
  });

  it('gradients reach x_start: 1 at source positions, sqrt(ᾱ_t) elsewhere', () => {
    const t = [3, 3];
    const g = tf.tidy(() => {
      const f = (x: tf.Tensor): tf.Tensor => tf.sum(qSampleTf(p, x, t, tf.tensor(Float32Array.from(eps), shape), mask));
      return tf
        .grad(f)(tf.tensor(Float32Array.from(x0), shape))
        .dataSync();
    });
    const a = Math.fround(p.schedule.tables.sqrtAlphasCumprod[3]!);
    for (let pos = 0; pos < 6; pos++)
      for (let d = 0; d < 2; d++) expect(g[pos * 2 + d]).toBeCloseTo(mask.data[pos] === 0 ? 1 : a, 6);
  });

  it('leaves only its result alive and validates inputs', () => {
    const a = tf.tensor(Float32Array.from(x0), shape),
      e = tf.tensor(Float32Array.from(eps), shape);
    const delta = tensorCountDelta(() => {
      qSampleTf(p, a, [1, 2], e, mask).dispose();
    });
    expect(delta).toBe(0);
    expect(() => qSampleTf(p, a, [1, 50], e)).toThrow(/gaussian\.qSampleTf: t\[1\]/);
    expect(() => qSampleTf(p, a, [1, 2, 3], e)).toThrow(/gaussian\.qSampleTf: t.*2 timesteps.*or 6/);
    expect(() => qSampleTf(p, a, [1, 2], tf.zeros([2, 3, 1]))).toThrow(/gaussian\.qSampleTf: x_start and noise/);
    tf.dispose([a, e]);
  });
});
