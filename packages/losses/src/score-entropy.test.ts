import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, ShapeError, tf, type Nd } from '@dlm/core';
import { absorbingGraph, uniformGraph, type Graph } from '@dlm/processes';
import { scoreEntropyTf } from './score-entropy.ts';
import { gradCheck, testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2,
  L = 3,
  D = 5;
const graphs: [string, Graph][] = [
  ['absorbing', absorbingGraph({ dim: D })],
  ['uniform', uniformGraph({ dim: D })],
];
const ids = (a: number[]): Nd<Int32Array> => ({ data: Int32Array.from(a), shape: [B, L] });
const x = ids([4, 1, 4, 4, 2, 0]); // mask (4) at some positions
const x0 = ids([0, 1, 3, 2, 2, 1]);
const sigma = [0.3, 1.7]; // one below and one above SEDD's expm1 switch at 0.5

describe.each(graphs)('scoreEntropyTf (%s)', (_name, g) => {
  it('equals the float64 host evaluation of the same coefficients (float32 tolerance)', () => {
    const logScore = testLogits(B * L * D, 5);
    const host = g.scoreEntropy({ data: logScore, shape: [B, L, D] }, sigma, x, x0).data;
    const got = tf.tidy(() =>
      scoreEntropyTf(g.scoreEntropyTerms(sigma, x, x0), tf.tensor3d(logScore, [B, L, D])).dataSync(),
    );
    expect(got.length).toBe(B * L);
    for (let p = 0; p < B * L; p++) expect(Math.abs(got[p]! - host[p]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(host[p]!));
    if (g.name === 'absorbing') expect([got[1], got[4], got[5]]).toEqual([0, 0, 0]); // x ≠ mask
  });

  it('gradient w.r.t. the log score matches finite differences (float32, h = 1e-2)', () => {
    const terms = g.scoreEntropyTerms(sigma, x, x0);
    const { worst, analytic } = gradCheck(
      (s) => tf.sum(scoreEntropyTf(terms, s)) as tf.Scalar,
      testLogits(B * L * D, 9),
      [B, L, D],
    );
    expect(worst).toBeLessThanOrEqual(0);
    expect(analytic.some((v) => Math.abs(v) > 0.1)).toBe(true); // not trivially zero
  });

  it('the gradient vanishes at the true ratio (the minimum of the score entropy)', () => {
    const fwd = g.forwardDistribution(x0, sigma).data;
    const truth = new Float32Array(B * L * D);
    for (let p = 0; p < B * L; p++) {
      for (let v = 0; v < D; v++)
        truth[p * D + v] = fwd[p * D + v]! > 0 ? Math.log(fwd[p * D + v]! / fwd[p * D + x.data[p]!]!) : -30;
    }
    const terms = g.scoreEntropyTerms(sigma, x, x0);
    const grad = tf.tidy(() =>
      tf
        .grad((s: tf.Tensor) => tf.sum(scoreEntropyTf(terms, s)))(tf.tensor3d(truth, [B, L, D]))
        .dataSync(),
    );
    for (const v of grad) expect(Math.abs(v)).toBeLessThan(1e-5);
  });
});

describe('scoreEntropyTf: masking, shapes and memory', () => {
  const g = absorbingGraph({ dim: D });
  it('positions that do not contribute stay 0 with zero gradient even for huge or −∞ log scores', () => {
    const s = testLogits(B * L * D, 2);
    for (let v = 0; v < D; v++) {
      s[1 * D + v] = 1e4; // exp overflows float32
      s[4 * D + v] = -Infinity;
    }
    const terms = g.scoreEntropyTerms(sigma, x, x0);
    const [val, grad] = tf.tidy(() => {
      const t = tf.tensor3d(s, [B, L, D]);
      return [
        scoreEntropyTf(terms, t).dataSync(),
        tf
          .grad((u: tf.Tensor) => tf.sum(scoreEntropyTf(terms, u)))(t)
          .dataSync(),
      ];
    });
    expect(val[1]).toBe(0);
    expect(val[4]).toBe(0);
    for (let v = 0; v < D; v++) {
      expect(grad[1 * D + v]).toBe(0);
      expect(grad[4 * D + v]).toBe(0);
    }
    expect([...val].every(Number.isFinite)).toBe(true);
  });

  it('refuses a log score whose shape does not match x, naming both', () => {
    const terms = g.scoreEntropyTerms(sigma, x, x0);
    expect(() => tf.tidy(() => scoreEntropyTf(terms, tf.zeros([B, L, D + 1])))).toThrow(ShapeError);
    expect(() => tf.tidy(() => scoreEntropyTf(terms, tf.zeros([B, L, D + 1])))).toThrow(
      /scoreEntropyTf: x and logScore/,
    );
  });

  it('does not leak tensors', () => {
    const terms = g.scoreEntropyTerms(sigma, x, x0);
    const s = tf.tensor3d(testLogits(B * L * D, 4), [B, L, D]);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) scoreEntropyTf(terms, s).dispose();
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });
});
