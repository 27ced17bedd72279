// Gradient clipping by the global L2 norm (torch.nn.utils.clip_grad_norm_, norm_type 2):
//   total = ‖(‖g₁‖₂, …, ‖gₙ‖₂)‖₂,  coef = min(maxNorm / (total + 1e-6), 1),  g ← coef·g
// torch multiplies by the clamped coefficient unconditionally; so do we.
import { ConfigError, brief } from '../errors.ts';
import { tf } from '../tf.ts';

export interface ClipResult {
  /** The clipped gradients (new tensors, same names; the caller disposes them). */
  grads: Map<string, tf.Tensor>;
  /** The global norm BEFORE clipping (what torch returns). */
  totalNorm: number;
}

/** Does not modify or dispose the input gradients. */
export function clipGradNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number): ClipResult {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0))
    throw new ConfigError({ op: 'clipGradNorm', arg: 'maxNorm', expected: 'a number > 0', got: brief(maxNorm) });
  const names = [...grads.keys()];
  if (names.length === 0) return { grads: new Map(), totalNorm: 0 };
  const { total, clipped } = tf.tidy(() => {
    const sq = names.map((n) => tf.sum(tf.square(grads.get(n)!)));
    const total = tf.sqrt(tf.addN(sq)); // scalar
    const coef = tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1);
    return { total, clipped: names.map((n) => tf.mul(grads.get(n)!, coef)) };
  });
  const totalNorm = total.dataSync()[0]!;
  total.dispose();
  return { grads: new Map(names.map((n, i) => [n, clipped[i]!])), totalNorm };
}
