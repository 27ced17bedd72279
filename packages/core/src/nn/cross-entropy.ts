// Cross-entropy from logits with an ignore mask (torch.nn.functional.cross_entropy with
// ignore_index; reduction 'mean' divides by the number of counted positions):
//   nll[n] = −log_softmax(logits[n])[target[n]]
import { ConfigError, ShapeError, brief } from '../errors.ts';
// On the native path (nativeFusedOn) nll comes from one fused kernel and its gradient kernel
// (kernels/native-softmax-cross-entropy.ts) instead of logSoftmax · one-hot.
import { tf } from '../tf.ts';
import { SOFTMAX_CROSS_ENTROPY } from '../kernels/native-softmax-cross-entropy.ts';
import { nativeFusedOn } from '../kernels/native-heap.ts';

export interface CrossEntropyOptions {
  /** [...] weights (1 = counted, 0 = ignored; float32 or bool); combined with ignoreIndex. */
  mask?: tf.Tensor;
  /** Targets equal to this are ignored (torch default −100). */
  ignoreIndex?: number;
  /**
   * 'mean' (default): Σ mask·nll / Σ mask, with the count clamped at 1 so that nothing counted
   * gives 0 (torch gives NaN); 'sum': Σ mask·nll; 'none': mask·nll of shape [...].
   */
  reduction?: 'mean' | 'sum' | 'none';
}

/**
 * @param logits  [..., V] float32
 * @param targets [...] int32
 */
export function crossEntropy(logits: tf.Tensor, targets: tf.Tensor, opts: CrossEntropyOptions = {}): tf.Tensor {
  const op = 'crossEntropy';
  const v = logits.shape[logits.rank - 1]!;
  const lead = logits.shape.slice(0, -1);
  if (targets.rank !== lead.length || targets.shape.some((d, i) => d !== lead[i])) {
    throw new ShapeError({
      op,
      arg: 'targets',
      expected: `[${lead}] (logits [..., V] without V)`,
      got: `[${targets.shape}]`,
    });
  }
  if (targets.dtype !== 'int32')
    throw new ShapeError({ op, arg: 'targets', expected: 'an int32 tensor', got: targets.dtype });
  if (opts.mask && (opts.mask.rank !== lead.length || opts.mask.shape.some((d, i) => d !== lead[i]))) {
    throw new ShapeError({ op, arg: 'mask', expected: `[${lead}]`, got: `[${opts.mask.shape}]` });
  }
  const reduction = opts.reduction ?? 'mean';
  if (!['mean', 'sum', 'none'].includes(reduction))
    throw new ConfigError({ op, arg: 'reduction', expected: "'mean', 'sum' or 'none'", got: brief(reduction) });
  const ignoreIndex = opts.ignoreIndex ?? -100;
  return tf.tidy(() => {
    const counted = tf.notEqual(targets, ignoreIndex); // [...] bool
    let w = tf.cast(counted, 'float32');
    if (opts.mask) w = tf.mul(w, tf.cast(opts.mask, 'float32'));
    const safeTargets = tf.where(counted, targets, tf.zerosLike(targets)); // ignored → class 0 (weight 0)
    const rows = lead.reduce((a, b) => a * b, 1);
    let rowNll: tf.Tensor; // [...] −log_softmax(logits)[target]
    if (nativeFusedOn(logits) && rows > 0 && v > 0) {
      const flat = { logits: tf.reshape(logits, [rows, v]), targets: tf.reshape(safeTargets, [rows]) };
      rowNll = tf.reshape(tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, flat) as tf.Tensor, lead);
    } else {
      const logp = tf.logSoftmax(logits); // [..., V]
      // int32 one-hot then cast: tfjs-backend-wasm 4.22's OneHot ignores dtype 'float32' and writes
      // integer bit patterns into the float buffer (1 reads as 1.4e-45).
      const oneHot = tf.cast(tf.oneHot(safeTargets, v), 'float32'); // [..., V]
      rowNll = tf.neg(tf.sum(tf.mul(logp, oneHot), -1)); // [...]
    }
    const nll = tf.mul(rowNll, w);
    if (reduction === 'none') return nll;
    const total = tf.sum(nll);
    return reduction === 'sum' ? total : tf.div(total, tf.maximum(tf.sum(w), 1));
  });
}
