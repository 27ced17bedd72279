// SUBS parameterisation (MDLM, kuleshov-group/mdlm:diffusion.py:Diffusion._subs_parameterization):
// turns backbone logits into log p_θ(x0 | xt) with the two absorbing-state constraints built in.
//   1. logits[..., mask] += −1e6                 (never predict the mask: "zero masking prob")
//   2. log-softmax over V
//   3. where xt ≠ mask: −1e6 everywhere except 0 at xt  ("carry-over unmasking": p = one_hot(xt))
// −1e6 is MDLM's finite neg_infinity (a true −∞ would give NaN gradients via 0·∞).
// tfjs float32 (a training op): differentiable w.r.t. the logits at masked positions; unmasked
// rows are constants. Near −1e6 float32 spacing is 0.0625, so compare those at relative tolerance.
import { ConfigError, MDLM_NEG_INFINITY, brief, tf, type Nd } from '@dlm/core';
import { assertSize, assertTokenIds } from './token-ids.ts';

/**
 * @param logits    [B, L, V] backbone output
 * @param xt        [B, L] noised tokens (int32 host array)
 * @param maskIndex the mask token's column (any column, not necessarily the last)
 * @returns         [B, L, V] log-probabilities
 */
export function subsLogProbs(
  logits: tf.Tensor3D,
  xt: Nd<Int32Array>,
  maskIndex: number,
  negInfinity = MDLM_NEG_INFINITY,
): tf.Tensor3D {
  const op = 'subsLogProbs';
  const [b, l, v] = logits.shape;
  if (!(Number.isInteger(maskIndex) && maskIndex >= 0 && maskIndex < v)) {
    throw new ConfigError({ op, arg: 'maskIndex', expected: `a column in [0, ${v})`, got: brief(maskIndex) });
  }
  assertSize(op, 'xt', xt.data, [b, l]);
  assertTokenIds(op, 'xt', xt.data, v);
  return tf.tidy(() => {
    const maskBias = tf.reshape(tf.mul(tf.oneHot(tf.tensor1d([maskIndex], 'int32'), v), negInfinity), [1, 1, v]);
    const logp = tf.logSoftmax(tf.add(logits, maskBias)) as tf.Tensor3D; // [B, L, V]
    const xtT = tf.tensor2d(xt.data, [b, l], 'int32');
    const unmasked = tf.tile(tf.expandDims(tf.notEqual(xtT, maskIndex), 2), [1, 1, v]); // [B, L, V]
    const carry = tf.mul(tf.sub(tf.cast(tf.oneHot(xtT, v), 'float32'), 1), -negInfinity); // 0 at xt, −1e6 elsewhere
    return tf.where(unmasked, carry, logp) as tf.Tensor3D;
  });
}

/** log p_θ(x0) gathered from [B, L, V] log-probs at the target ids [B, L] → [B, L]. */
export function gatherTargets(logProbs: tf.Tensor3D, targets: Nd<Int32Array>): tf.Tensor2D {
  const [b, l, v] = logProbs.shape;
  assertSize('gatherTargets', 'targets', targets.data, [b, l]);
  assertTokenIds('gatherTargets', 'targets', targets.data, v);
  return tf.tidy(
    () => tf.sum(tf.mul(logProbs, tf.oneHot(tf.tensor2d(targets.data, [b, l], 'int32'), v)), 2) as tf.Tensor2D,
  );
}
