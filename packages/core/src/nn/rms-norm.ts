// RMS normalisation over the last axis: x / sqrt(mean(x²) + eps) · weight
// (LLaDA modeling_llada.py:RMSLayerNorm, computed in float32). On the native path (nativeFusedOn) the normalisation
// is one fused kernel and its gradient kernel (kernels/native-rms-norm.ts); the weight stays a tfjs multiply.
import { ShapeError } from '../errors.ts';
import { tf } from '../tf.ts';
import { nativeFusedOn } from '../kernels/native-heap.ts';
import { RMS_NORM } from '../kernels/native-rms-norm.ts';

export interface RmsNormOptions {
  /** [D] (optional). */
  weight?: tf.Tensor;
  /** Inside the square root; default 1e-5 (LLaDA's rms_norm_eps). */
  eps?: number;
}

/** @param x [..., D] → [..., D] */
export function rmsNorm(x: tf.Tensor, opts: RmsNormOptions = {}): tf.Tensor {
  const d = x.shape[x.rank - 1];
  const w = opts.weight;
  if (w && (w.rank !== 1 || w.shape[0] !== d))
    throw new ShapeError({ op: 'rmsNorm', arg: 'weight', expected: `[${d}]`, got: `[${w.shape}]` });
  const eps = opts.eps ?? 1e-5;
  return tf.tidy(() => {
    const y =
      nativeFusedOn(x) && x.rank >= 1 && x.size > 0
        ? (tf.engine().runKernel(RMS_NORM, { x }, { eps }) as tf.Tensor)
        : tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), x.rank - 1, true), eps)));
    return w ? tf.mul(y, w) : y;
  });
}
