import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, logsumexp, tf } from '@dlm/core';
import { GaussianEmbeddingProcess } from '@dlm/processes';
import { diffuseqSeq2seqLoss } from './diffuseq-seq2seq.ts';
import { diffusionLmE2eLoss } from './diffusion-lm-e2e.ts';
import { fdGradCheck, testValues } from './fd-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 2,
  L = 4,
  D = 2,
  V = 5;
const p = GaussianEmbeddingProcess.named('sqrt', 10);
const E = testValues(V * D, 11);
const bias = testValues(V, 12);
const W = testValues(D * D, 13);
const eps0 = testValues(B * L * D, 14);
const eps = testValues(B * L * D, 15);
const inputIds = { data: Int32Array.of(1, 4, 0, 2, 3, 3, 1, 0), shape: [B, L] };
const inputMask = { data: Int32Array.of(0, 0, 1, 1, 0, 1, 1, 1), shape: [B, L] };
const model =
  (w: tf.Tensor) =>
  (xt: tf.Tensor): tf.Tensor =>
    tf.reshape(tf.matMul(tf.reshape(xt, [-1, D]), w), xt.shape);
const noise = () => ({ xStartNoise: tf.tensor(eps0, [B, L, D]), noise: tf.tensor(eps, [B, L, D]) });

describe('diffuseqSeq2seqLoss', () => {
  it('keeps x_start at source positions of x_t and noises the targets', () => {
    tf.tidy(() => {
      const r = diffuseqSeq2seqLoss(
        p,
        { embedding: tf.tensor(E, [V, D]), bias: tf.tensor(bias) },
        { inputIds, inputMask, t: [6, 6], ...noise() },
        model(tf.tensor(W, [D, D])),
      );
      const xs = r.xStart.dataSync(),
        xt = r.xT.dataSync();
      for (let pos = 0; pos < B * L; pos++) {
        for (let d = 0; d < D; d++) {
          if (inputMask.data[pos] === 0) expect(xt[pos * D + d]).toBe(xs[pos * D + d]);
          else expect(Math.abs(xt[pos * D + d]! - xs[pos * D + d]!)).toBeGreaterThan(1e-4);
        }
      }
    });
  });

  it('nll is the target-position CE of the prediction and is not part of the loss', () => {
    tf.tidy(() => {
      const head = { embedding: tf.tensor(E, [V, D]), bias: tf.tensor(bias) };
      const w = tf.tensor(W, [D, D]);
      const r = diffuseqSeq2seqLoss(p, head, { inputIds, inputMask, t: [0, 8], ...noise() }, model(w));
      const out = r.modelOutput.dataSync();
      const nll = r.nll.dataSync();
      for (let b = 0; b < B; b++) {
        let s = 0,
          m = 0;
        for (let l = 0; l < L; l++) {
          const pos = b * L + l;
          const logits = Array.from(
            { length: V },
            (_, v) => out[pos * D]! * E[v * D]! + out[pos * D + 1]! * E[v * D + 1]! + bias[v]!,
          );
          s += inputMask.data[pos]! * (logsumexp(logits) - logits[inputIds.data[pos]!]!);
          m += inputMask.data[pos]!;
        }
        expect(nll[b]).toBeCloseTo(s / m, 4);
      }
      const loss = r.loss.dataSync(),
        mse = r.mse.dataSync(),
        dn = r.decoderNll.dataSync(),
        tT = r.tTLoss.dataSync();
      for (let b = 0; b < B; b++) expect(loss[b]).toBeCloseTo(mse[b]! + dn[b]! + tT[b]!, 5);
      // Without a mask the terms reduce to Diffusion-LM's (all positions noised).
      const e2e = diffusionLmE2eLoss(p, head, { inputIds, t: [0, 8], ...noise() }, model(w));
      const allOnes = { data: new Int32Array(B * L).fill(1), shape: [B, L] };
      const full = diffuseqSeq2seqLoss(p, head, { inputIds, inputMask: allOnes, t: [0, 8], ...noise() }, model(w));
      expect(Array.from(full.loss.dataSync())).toEqual(Array.from(e2e.loss.dataSync()));
    });
  });

  it('gradients match finite differences', () => {
    const f = (e: tf.Tensor, w: tf.Tensor): tf.Scalar =>
      tf.sum(
        diffuseqSeq2seqLoss(
          p,
          { embedding: e, bias: tf.tensor(bias) },
          { inputIds, inputMask, t: [3, 9], ...noise() },
          model(w),
        ).loss,
      ) as tf.Scalar;
    expect(
      fdGradCheck(f, [
        { data: E, shape: [V, D] },
        { data: W, shape: [D, D] },
      ]).worst,
    ).toBeLessThanOrEqual(0);
  });

  it('rejects a mask of the wrong shape or with values other than 0/1', () => {
    tf.tidy(() => {
      const head = { embedding: tf.tensor(E, [V, D]) };
      expect(() =>
        diffuseqSeq2seqLoss(
          p,
          head,
          { inputIds, inputMask: { data: new Int32Array(4), shape: [2, 2] }, t: [0, 1], ...noise() },
          model(tf.tensor(W, [D, D])),
        ),
      ).toThrow(/diffuseqSeq2seqLoss: mask.*\[2,4\]/);
      expect(() =>
        diffuseqSeq2seqLoss(
          p,
          head,
          { inputIds, inputMask: { data: new Int32Array(8).fill(3), shape: [2, 4] }, t: [0, 1], ...noise() },
          model(tf.tensor(W, [D, D])),
        ),
      ).toThrow(/mask/);
    });
  });
});
