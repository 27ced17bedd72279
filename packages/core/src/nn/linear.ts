// Linear layer y = x·Wᵀ + b (torch.nn.Linear). The weight is kept in PyTorch layout
// [out, in] so reference state dicts (SEDD, MDLM, LLaDA) load by name without a transpose.
import { ShapeError } from '../errors.ts';
import { tf } from '../tf.ts';
import { nativeFusedOn } from '../kernels/native-heap.ts';

/**
 * @param x      [..., in]
 * @param weight [out, in]
 * @param bias   [out] (optional)
 * @returns      [..., out]
 */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const inF = x.shape[x.rank - 1];
  const [outF, wIn] = weight.shape;
  if (weight.rank !== 2 || inF !== wIn || x.rank < 1) {
    throw new ShapeError({
      op: 'linear',
      arg: 'x and weight',
      expected: 'x [..., in] with weight [out, in]',
      got: `x [${x.shape}] weight [${weight.shape}]`,
    });
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outF)) {
    throw new ShapeError({ op: 'linear', arg: 'bias', expected: `[${outF}]`, got: `[${bias.shape}]` });
  }
  return tf.tidy(() => {
    // A 2-D matmul (rows = every leading position) rather than a broadcast batched one.
    const x2 = tf.reshape(x, [-1, inF!]); // [N, in]
    let y: tf.Tensor;
    // On the native path the bias is added inside the product (sgemm with β = 1 over bias rows).
    if (bias && nativeFusedOn(x2)) y = tf.fused.matMul({ a: x2, b: weight, transposeB: true, bias });
    else {
      y = tf.matMul(x2, weight, false, true); // [N, out]
      if (bias) y = tf.add(y, bias);
    }
    return tf.reshape(y, [...x.shape.slice(0, -1), outF!]);
  });
}
