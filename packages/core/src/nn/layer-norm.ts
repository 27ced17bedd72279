// Layer normalisation over the last axis: (x − mean) / sqrt(var + eps), biased variance, then
// optional affine weight / bias (torch.nn.functional.layer_norm). SEDD/MDLM's LayerNorm has a
// weight and no bias (Score-Entropy-Discrete-Diffusion:model/transformer.py:LayerNorm).
import { ShapeError } from '../errors.ts';
// On the native path (nativeFusedOn) the normalisation is one fused kernel and its gradient kernel
// (kernels/native-layer-norm.ts); the affine weight and bias stay tfjs ops.
import { tf } from '../tf.ts';
import { LAYER_NORM } from '../kernels/native-layer-norm.ts';
import { nativeFusedOn } from '../kernels/native-heap.ts';

export interface LayerNormOptions {
  /** [D] multiplies the normalised value (optional). */
  weight?: tf.Tensor;
  /** [D] added after the weight (optional). */
  bias?: tf.Tensor;
  /** Added to the variance; default 1e-5 (PyTorch's default). */
  eps?: number;
}

/** @param x [..., D] → [..., D] */
export function layerNorm(x: tf.Tensor, opts: LayerNormOptions = {}): tf.Tensor {
  const d = x.shape[x.rank - 1];
  for (const [name, p] of [
    ['weight', opts.weight],
    ['bias', opts.bias],
  ] as const) {
    if (p && (p.rank !== 1 || p.shape[0] !== d))
      throw new ShapeError({ op: 'layerNorm', arg: name, expected: `[${d}]`, got: `[${p.shape}]` });
  }
  const eps = opts.eps ?? 1e-5;
  return tf.tidy(() => {
    const axis = x.rank - 1;
    let y: tf.Tensor;
    if (nativeFusedOn(x) && x.rank >= 1 && x.size > 0) {
      y = tf.engine().runKernel(LAYER_NORM, { x }, { eps }) as tf.Tensor;
    } else {
      const xc = tf.sub(x, tf.mean(x, axis, true)); // [..., D]
      const variance = tf.mean(tf.square(xc), axis, true); // [..., 1]
      y = tf.mul(xc, tf.rsqrt(tf.add(variance, eps)));
    }
    if (opts.weight) y = tf.mul(y, opts.weight);
    if (opts.bias) y = tf.add(y, opts.bias);
    return y;
  });
}
