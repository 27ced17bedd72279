import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf, type Nd } from '@dlm/core';
import {
  lladaTrainForwardFromRng,
  lladaMaskedCE,
  lladaPretrainingLoss,
  lladaSftLoss,
  lladaTrainForward,
  randomLengthTruncate,
} from './llada-masked-ce.ts';
import { gradCheck, testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2,
  L = 4,
  V = 5,
  MASK = 126336;
const ids: Nd<Int32Array> = { data: Int32Array.from([0, 1, 2, 3, 4, 3, 2, 1]), shape: [B, L] };
const uMask = [0.1, 0.2, 0.3, 0.9, 0.05, 0.01, 0.5, 0.6];

function ce(logits: Float32Array, p: number, target: number): number {
  let z = 0;
  for (let v = 0; v < V; v++) z += Math.exp(logits[p * V + v]!);
  return Math.log(z) - logits[p * V + target]!;
}

describe('LLaDA masked cross-entropy', () => {
  it('pre-training: Σ CE/p_mask over masked tokens / (b·l)', () => {
    const n = lladaTrainForward(ids, [0.5, 0.0], uMask, { maskId: MASK });
    expect(Array.from(n.pMask)).toEqual([0.999 * 0.5 + 0.001, 0.001]);
    expect(Array.from(n.masked.data)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    expect(n.noisy.data[0]).toBe(MASK);
    const logits = testLogits(B * L * V, 2);
    const loss = tf.tidy(() => lladaPretrainingLoss(tf.tensor3d(logits, [B, L, V]), ids, n).loss.dataSync()[0]!);
    const expected = [0, 1, 2].reduce((a, p) => a + ce(logits, p, ids.data[p]!) / n.pMask[0]!, 0) / (B * L);
    expect(loss).toBeCloseTo(expected, 4);
  });

  it('SFT: the prompt is never masked and each sequence is divided by its answer length', () => {
    const n = lladaTrainForward(ids, [1, 1], uMask, { maskId: MASK, promptLengths: [1, 3] });
    expect(Array.from(n.masked.data)).toEqual([0, 1, 1, 1, 0, 0, 0, 1]);
    const logits = testLogits(B * L * V, 4);
    const loss = tf.tidy(() => lladaSftLoss(tf.tensor3d(logits, [B, L, V]), ids, n).loss.dataSync()[0]!);
    const row0 = [1, 2, 3].reduce((a, p) => a + ce(logits, p, ids.data[p]!), 0) / 3;
    const row1 = ce(logits, 7, ids.data[7]!) / 1;
    expect(loss).toBeCloseTo((row0 + row1) / 2, 4);
  });

  it('draws reproducibly from an Rng and never masks the prompt', () => {
    const a = lladaTrainForwardFromRng(ids, Rng.seeded(3), { maskId: MASK, promptLengths: [2, 2] });
    expect(Array.from(a.noisy.data)).toEqual(
      Array.from(lladaTrainForwardFromRng(ids, Rng.seeded(3), { maskId: MASK, promptLengths: [2, 2] }).noisy.data),
    );
    expect([a.masked.data[0], a.masked.data[1], a.masked.data[4], a.masked.data[5]]).toEqual([0, 0, 0, 0]);
  });

  it('random-length truncation cuts only when the gate fires', () => {
    expect(randomLengthTruncate(ids, 0.5, 2)).toBe(ids);
    const cut = randomLengthTruncate(ids, 0.001, 2);
    expect(cut.shape).toEqual([2, 2]);
    expect(Array.from(cut.data)).toEqual([0, 1, 4, 3]);
    expect(() => randomLengthTruncate(ids, 0.001, 9)).toThrow(/randomLength/);
  });

  it('gradient matches finite differences for every normalisation', () => {
    const n = lladaTrainForward(ids, [0.6, 0.3], uMask, { maskId: MASK, promptLengths: [1, 0] });
    for (const norm of ['token', 'sequence', 'batch'] as const) {
      const { worst } = gradCheck((lg) => lladaMaskedCE(lg, ids, n, norm).loss, testLogits(B * L * V, 21), [B, L, V]);
      expect(worst).toBeLessThanOrEqual(0);
    }
  });

  it('rejects target ids outside [0, V)', () => {
    const n = lladaTrainForward(ids, [0.6, 0.3], uMask, { maskId: MASK });
    const bad: Nd<Int32Array> = { data: Int32Array.from([0, 1, 2, 3, 4, 3, 2, 5]), shape: [B, L] };
    const lg = tf.zeros([B, L, V]) as tf.Tensor3D;
    expect(() => lladaMaskedCE(lg, bad, n, 'token')).toThrow(/lladaMaskedCE: targets/);
    lg.dispose();
  });

  it('SFT with a [B, L] prompt mask: same as prompt lengths, EOS padding is answer, no gradient at the prompt', () => {
    // Rows as @dlm/data packPairs makes them: [BOS] prompt response [EOS]…, prompt = BOS + prompt.
    const sft: Nd<Int32Array> = { data: Int32Array.from([0, 1, 2, 4, 0, 3, 4, 4]), shape: [B, L] }; // EOS = 4
    const promptMask = [1, 1, 0, 0, 1, 0, 0, 0];
    const u = [0.05, 0.05, 0.5, 0.01, 0.9, 0.2, 0.95, 0.3];
    const a = lladaTrainForward(sft, [0.7, 0.4], u, { maskId: MASK, promptMask });
    const b = lladaTrainForward(sft, [0.7, 0.4], u, { maskId: MASK, promptLengths: [2, 1] });
    expect(Array.from(a.masked.data)).toEqual(Array.from(b.masked.data));
    expect(Array.from(a.masked.data)).toEqual([0, 0, 1, 1, 0, 1, 0, 1]);
    expect(Array.from(a.maskable)).toEqual([0, 0, 1, 1, 0, 1, 1, 1]);
    const logits = testLogits(B * L * V, 8);
    const loss = (n: typeof a) =>
      tf.tidy(() => lladaSftLoss(tf.tensor3d(logits, [B, L, V]), sft, n).loss.dataSync()[0]!);
    // Answer lengths 2 and 3 (the EOS padding counts); each masked CE divided by p_mask.
    const pm = (t: number) => (1 - 1e-3) * t + 1e-3;
    const row0 = (ce(logits, 2, 2) + ce(logits, 3, 4)) / pm(0.7) / 2;
    const row1 = (ce(logits, 5, 3) + ce(logits, 7, 4)) / pm(0.4) / 3;
    expect(loss(a)).toBeCloseTo((row0 + row1) / 2, 4);
    expect(loss(a)).toBeCloseTo(loss(b), 6);
    const { worst, analytic } = gradCheck((lg) => lladaSftLoss(lg, sft, a).loss, logits, [B, L, V]);
    expect(worst).toBeLessThanOrEqual(0);
    for (const p of [0, 1, 4]) for (let v = 0; v < V; v++) expect(Math.abs(analytic[p * V + v]!)).toBe(0);
    expect(analytic.slice(2 * V, 3 * V).some((g) => g !== 0)).toBe(true);
  });

  it('rejects a bad prompt mask', () => {
    const u = new Array(B * L).fill(0.5);
    const run = (promptMask: number[]) => () => lladaTrainForward(ids, [0.5, 0.5], u, { maskId: MASK, promptMask });
    expect(run([1, 1, 1, 1, 0, 0, 0, 0])).toThrow(/promptMask\[0\].*answer/);
    expect(run([1, 0])).toThrow(/promptMask/);
    expect(run([2, 0, 0, 0, 0, 0, 0, 0])).toThrow(/0 or 1/);
    const both = { maskId: MASK, promptMask: [1, 0, 0, 0, 1, 0, 0, 0], promptLengths: [1, 1] };
    expect(() => lladaTrainForward(ids, [0.5, 0.5], u, both)).toThrow(/not both/);
  });
});
