// Differentiable score entropy (tfjs float32) from a graph's coefficients
// (@dlm/processes graphs/score-entropy.ts states the math once, per graph):
//   value[p] = wAll·Σ_{v ∉ excluded} e^{s_v} − wSelf·e^{s_x} − (cAll·Σ_v s_v − cSelf·s_x + cTarget·s_{x0}) + k
// The coefficients are computed on the host in float64 and enter as float32 constants; only the log
// score s [B, L, D] carries gradients. Positions with all coefficients 0 (absorbing: x ≠ mask) are
// exactly 0 and pass no gradient (their scores are replaced by 0 before exp, so a huge or −∞ log
// score there cannot make 0·∞ = NaN).
import { ShapeError, sizeOf, tf } from '@dlm/core';
import { activePositions, type ScoreEntropyTerms } from '@dlm/processes';

/** Score entropy [B, L] of a log score [B, L, D] tensor. */
export function scoreEntropyTf(terms: ScoreEntropyTerms, logScore: tf.Tensor): tf.Tensor {
  const op = 'scoreEntropyTf';
  const D = terms.dim;
  const want = [...terms.shape, D];
  if (logScore.shape.length !== want.length || logScore.shape.some((d, k) => d !== want[k])) {
    throw new ShapeError({
      op,
      arg: 'x and logScore',
      expected: `logScore of shape [${want}] for x [${terms.shape}]`,
      got: `[${logScore.shape}]`,
    });
  }
  const n = sizeOf(terms.shape);
  const active = activePositions(terms);
  const allActive = active.every((a) => a === 1);
  const f32 = (a: Float64Array) => tf.tensor1d(Float32Array.from(a));
  const idxX = Int32Array.from(terms.x, (v, p) => p * D + v);
  const idxX0 = Int32Array.from(terms.x0, (v, p) => p * D + v);
  return tf.tidy(() => {
    let s = tf.reshape(logScore, [n, D]) as tf.Tensor2D; // [N, D]
    if (!allActive) {
      const keep = tf.tile(tf.tensor2d(active, [n, 1], 'bool'), [1, D]);
      s = tf.where(keep, s, tf.zerosLike(s));
    }
    const es = tf.exp(s);
    let sumExp: tf.Tensor1D; // [N]
    if (terms.excludeColumn >= 0) {
      const cols = new Float32Array(D).fill(1);
      cols[terms.excludeColumn] = 0;
      sumExp = tf.sum(tf.mul(es, tf.tensor2d(cols, [1, D])), 1);
    } else sumExp = tf.sum(es, 1);
    const sum = tf.sum(s, 1);
    const flat = tf.reshape(s, [n * D]);
    const sx = tf.gather(flat, tf.tensor1d(idxX, 'int32'));
    const sx0 = tf.gather(flat, tf.tensor1d(idxX0, 'int32'));
    const pos = tf.sub(tf.mul(f32(terms.wAll), sumExp), tf.mul(f32(terms.wSelf), tf.exp(sx)));
    const neg = tf.add(
      tf.sub(tf.mul(f32(terms.cAll), sum), tf.mul(f32(terms.cSelf), sx)),
      tf.mul(f32(terms.cTarget), sx0),
    );
    return tf.reshape(tf.add(tf.sub(pos, neg), f32(terms.k)), [...terms.shape]);
  });
}
