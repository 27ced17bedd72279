import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, logsumexp, tf } from '@dlm/core';
import { difformerAnchorLoss } from './difformer-anchor.ts';
import { fdGradCheck, testValues } from './fd-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2,
  L = 3,
  D = 2,
  V = 4;
const E = testValues(V * D, 21);
const z0Hat = testValues(B * L * D, 22);
const z0 = testValues(B * L * D, 23);
const targets = { data: Int32Array.of(1, 0, 3, 2, 2, 1), shape: [B, L] };
const mask = { data: Int32Array.of(1, 1, 1, 1, 1, 0), shape: [B, L] }; // last position is padding

function hostCe(h: Float32Array, pos: number): { nll: number; meanLogp: number } {
  const logits = Array.from({ length: V }, (_, v) => h[pos * D]! * E[v * D]! + h[pos * D + 1]! * E[v * D + 1]!);
  const lse = logsumexp(logits);
  return { nll: lse - logits[targets.data[pos]!]!, meanLogp: logits.reduce((a, x) => a + x - lse, 0) / V };
}

describe('difformerAnchorLoss', () => {
  const positions = [0, 1, 2, 3, 4]; // non-padding

  it('diffusion MSE and anchor CE over non-padding positions; label smoothing as fairseq nat_loss', () => {
    tf.tidy(() => {
      const eps = 0.1;
      const r = difformerAnchorLoss({
        z0Hat: tf.tensor(z0Hat, [B, L, D]),
        z0: tf.tensor(z0, [B, L, D]),
        targets,
        mask,
        embedding: tf.tensor(E, [V, D]),
        labelSmoothing: eps,
      });
      let se = 0;
      for (const pos of positions) for (let d = 0; d < D; d++) se += (z0Hat[pos * D + d]! - z0[pos * D + d]!) ** 2;
      const ces = positions.map((pos) => hostCe(z0Hat, pos));
      const nll = ces.reduce((a, c) => a + c.nll, 0) / positions.length;
      const meanLogp = ces.reduce((a, c) => a + c.meanLogp, 0) / positions.length;
      expect(r.diffusion.dataSync()[0]).toBeCloseTo(se / (positions.length * D), 5);
      expect(r.nll.dataSync()[0]).toBeCloseTo(nll, 5);
      expect(r.wordIns.dataSync()[0]).toBeCloseTo(nll * (1 - eps) - eps * meanLogp, 5);
      expect(r.loss.dataSync()[0]).toBeCloseTo(se / (positions.length * D) + nll * (1 - eps) - eps * meanLogp, 5);
    });
  });

  it("the 'rounding' variant takes the CE on z0 instead of ẑ0", () => {
    tf.tidy(() => {
      const r = difformerAnchorLoss({
        z0Hat: tf.tensor(z0Hat, [B, L, D]),
        z0: tf.tensor(z0, [B, L, D]),
        targets,
        mask,
        embedding: tf.tensor(E, [V, D]),
        tokenLossOn: 'rounding',
      });
      const nll = positions.reduce((a, pos) => a + hostCe(z0, pos).nll, 0) / positions.length;
      expect(r.wordIns.dataSync()[0]).toBeCloseTo(nll, 5);
    });
  });

  it('gradients w.r.t. ẑ0 and the embedding match finite differences; padding gets none', () => {
    const f = (zh: tf.Tensor, e: tf.Tensor): tf.Scalar =>
      difformerAnchorLoss({ z0Hat: zh, z0: tf.tensor(z0, [B, L, D]), targets, mask, embedding: e, labelSmoothing: 0.1 })
        .loss;
    const r = fdGradCheck(f, [
      { data: z0Hat, shape: [B, L, D] },
      { data: E, shape: [V, D] },
    ]);
    expect(r.worst).toBeLessThanOrEqual(0);
    expect(r.analytic[0]![5 * D]).toBe(0);
    expect(r.analytic[0]![5 * D + 1]).toBe(0);
  });

  it('rejects out-of-vocabulary targets, bad smoothing and an all-padding batch', () => {
    tf.tidy(() => {
      const base = {
        z0Hat: tf.tensor(z0Hat, [B, L, D]),
        z0: tf.tensor(z0, [B, L, D]),
        embedding: tf.tensor(E, [V, D]),
      };
      expect(() =>
        difformerAnchorLoss({ ...base, targets: { data: Int32Array.of(1, 0, 9, 2, 2, 1), shape: [B, L] } }),
      ).toThrow(/difformerAnchorLoss: targets\[2\].*\[0, 4\)/);
      expect(() => difformerAnchorLoss({ ...base, targets, labelSmoothing: 1 })).toThrow(/labelSmoothing/);
      expect(() => difformerAnchorLoss({ ...base, targets, mask: { data: new Int32Array(6), shape: [B, L] } })).toThrow(
        /non-padding/,
      );
      expect(() => difformerAnchorLoss({ ...base, z0: tf.zeros([B, L, 3]), targets })).toThrow(/z0Hat and z0/);
    });
  });
});
