import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf, type Nd } from '@dlm/core';
import { lladaTrainForwardFromRng, lladaMaskedCE, lladaPretrainingLoss, lladaSftLoss, lladaTrainForward, randomLengthTruncate } from './llada-masked-ce.ts';
import { gradCheck, testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2, L = 4, V = 5, MASK = 126336;
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
    expect(Array.from(a.noisy.data)).toEqual(Array.from(lladaTrainForwardFromRng(ids, Rng.seeded(3), { maskId: MASK, promptLengths: [2, 2] }).noisy.data));
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
});
