// MDLM's AR parameterization (kuleshov-group/mdlm@c112c526 models/autoregressive.py:AR.forward):
// the MASK column of the logits is set to −1000 (the AR model never predicts MASK), then log-softmax.
// The training loss reads log p(x_{t+1} | x_≤t) at position t (diffusion.py, parameterization 'ar').
import { ShapeError, tf } from '@dlm/core';

/** The reference's `neg_infinity` for the MASK column. */
export const AR_MASK_LOGIT = -1000;

/**
 * @param logits    [B, L, V]
 * @param maskIndex the MASK id whose column is overwritten; undefined = no MASK in the vocabulary
 * @returns         log-probabilities [B, L, V]
 */
export function arLogProbs(logits: tf.Tensor, maskIndex?: number): tf.Tensor3D {
  const v = logits.shape[2]!;
  if (logits.rank !== 3)
    throw new ShapeError({ op: 'arLogProbs', arg: 'logits', expected: '[B, L, V]', got: `[${logits.shape}]` });
  if (maskIndex !== undefined && !(Number.isInteger(maskIndex) && maskIndex >= 0 && maskIndex < v)) {
    throw new ShapeError({
      op: 'arLogProbs',
      arg: 'maskIndex',
      expected: `an integer in [0, ${v})`,
      got: String(maskIndex),
    });
  }
  return tf.tidy(() => {
    let z = logits;
    if (maskIndex !== undefined) {
      const oneHot = tf.oneHot(tf.tensor1d([maskIndex], 'int32'), v, 1, 0, 'float32');
      const isMask = tf.reshape(oneHot, [1, 1, v]); // [1, 1, V]
      z = tf.add(tf.mul(logits, tf.sub(1, isMask)), tf.mul(isMask, AR_MASK_LOGIT)); // exact: x·1 + 0 elsewhere
    }
    return tf.logSoftmax(z) as tf.Tensor3D;
  });
}
