// SEDD's post-processing inside SEDD.forward (Score-Entropy-Discrete-Diffusion
// model/transformer.py; fixtures/checkpoints/README.md §3), applied to the DiT logits:
//   1. if scale_by_sigma (absorb): out = out − log(esigm1(σ))[:, None, None] − log(V − 1),
//      esigm1 = expm1(σ) if σ < 0.5 else exp(σ) − 1
//   2. out[b, l, indices[b, l]] = 0     (torch.scatter)
// The result is the log score. esigm1 is computed on the host in float64 (σ is an input, not
// trained) and rounded once; the reference computes it in float32 — within 1 ulp.
import { ConfigError, ShapeError, brief, seddExpm1, tf } from '@dlm/core';

/**
 * @param logits  [B, L, V] DiT output
 * @param indices int32 [B, L] the model input x_t
 * @param sigma   host σ per row, length B (must be > 0 when scaleBySigma)
 * @returns       [B, L, V] log score
 */
export function seddLogScore(
  logits: tf.Tensor,
  indices: tf.Tensor,
  sigma: ArrayLike<number>,
  opts: { scaleBySigma: boolean },
): tf.Tensor3D {
  const op = 'seddLogScore';
  const [b, l, v] = logits.shape as [number, number, number];
  if (logits.rank !== 3 || indices.rank !== 2 || indices.shape[0] !== b || indices.shape[1] !== l) {
    throw new ShapeError({
      op,
      arg: 'logits and indices',
      expected: 'logits [B, L, V] with indices [B, L]',
      got: `[${logits.shape}] and [${indices.shape}]`,
    });
  }
  if (sigma.length !== b)
    throw new ShapeError({ op, arg: 'sigma', expected: `${b} values`, got: String(sigma.length) });
  let shift: Float32Array | undefined;
  if (opts.scaleBySigma) {
    shift = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      const s = sigma[i]!;
      if (!(s > 0 && Number.isFinite(s)))
        throw new ConfigError({ op, arg: `sigma[${i}]`, expected: 'a finite σ > 0 (log expm1(σ))', got: brief(s) });
      shift[i] = -Math.log(seddExpm1(s)) - Math.log(v - 1);
    }
  }
  return tf.tidy(() => {
    const out = shift ? tf.add(logits, tf.tensor3d(shift, [b, 1, 1])) : logits;
    const atInput = tf.equal(tf.oneHot(indices, v), 1); // [B, L, V] bool (int32 one-hot: wasm float32 OneHot is broken)
    return tf.where(atInput, tf.zerosLike(out), out) as tf.Tensor3D;
  });
}
