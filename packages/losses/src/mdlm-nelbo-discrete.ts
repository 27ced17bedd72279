// MDLM's discrete-time (T steps) NELBO with SUBS (kuleshov-group/mdlm:diffusion.py:_d3pm_loss),
// used when T > 0; t ∈ {1/T, …, 1} from discretizeTimes, clamped to [0, 1 − 1e-4]; dt = 1/T,
// α_t = 1 − t, α_s = 1 − (t − dt), m = p_θ(mask | xt) (≈ 0 under SUBS):
//   L = (dt/t)·(log(α_t·m/t + 1) − log p_θ(x0)) + (1 − dt/t)·(log(α_t·m/t + 1) − log(α_s·m/(t−dt) + 1))
//   loss[b,l] = T · L · [xt == mask] · attention_mask        (SUBS: no reconstruction term)
// At t = dt the reference computes 0·log(0/0 + 1) = NaN; we use the limit of the second term, 0.
import { tf } from '@dlm/core';
import { normalizeLoss, type LossNormalization } from './normalization.ts';
import { gatherTargets, subsLogProbs } from './subs.ts';
import { assertSize } from './token-ids.ts';
import { attentionTensor, type MdlmLossInputs, type MdlmLossOutputs } from './mdlm-nelbo.ts';

export function mdlmDiscreteNelboLoss(
  logits: tf.Tensor3D,
  inputs: MdlmLossInputs,
  t: ArrayLike<number>,
  opts: { maskIndex: number; T: number; normalization?: LossNormalization },
): MdlmLossOutputs {
  const op = 'mdlmDiscreteNelboLoss';
  const [b, l] = logits.shape;
  assertSize(op, 't', t, [b]);
  const T = opts.T;
  const dt = 1 / T;
  // Per-row coefficients on the host in float64: c1 = dt/t, c2 = 1 − dt/t, a = α_t/t, s = α_s/(t − dt).
  const c1 = new Float32Array(b),
    c2 = new Float32Array(b),
    a = new Float32Array(b),
    s = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    const ti = Math.min(Math.max(t[i]!, 0), 1 - 1e-4);
    c1[i] = dt / ti;
    c2[i] = 1 - dt / ti;
    a[i] = (1 - ti) / ti;
    s[i] = ti - dt > 0 ? (1 - (ti - dt)) / (ti - dt) : 0; // c2 = 0 there: the term vanishes
  }
  return tf.tidy(() => {
    const logProbs = subsLogProbs(logits, inputs.xt, opts.maskIndex);
    const logPx0 = gatherTargets(logProbs, inputs.x0);
    const m = tf.exp(tf.squeeze(tf.slice(logProbs, [0, 0, opts.maskIndex], [b, l, 1]), [2])); // [B, L]
    const col = (x: Float32Array) => tf.tensor2d(x, [b, 1]);
    const nr = tf.log1p(tf.mul(m, col(a)));
    const dr2 = tf.log1p(tf.mul(m, col(s)));
    const lvb = tf.add(tf.mul(col(c1), tf.sub(nr, logPx0)), tf.mul(col(c2), tf.sub(nr, dr2)));
    const isMask = tf.cast(tf.equal(tf.tensor2d(inputs.xt.data, [b, l], 'int32'), opts.maskIndex), 'float32');
    const attn = attentionTensor(op, inputs.attentionMask, b, l);
    const perToken = tf.mul(tf.mul(tf.mul(lvb, isMask), attn), T) as tf.Tensor2D;
    const loss = normalizeLoss(perToken, opts.normalization ?? 'token', inputs.attentionMask);
    return { loss, perToken, logProbs, logPTheta: logPx0 };
  });
}
