// Sinusoidal timestep features (SEDD/MDLM TimestepEmbedder.timestep_embedding; Score-Entropy-
// Discrete-Diffusion:model/transformer.py, mdlm:models/dit.py):
//   half = dim/2, freqs[i] = exp(−ln(maxPeriod)·i/half), args = t[:,None]·freqs[None,:]
//   features = concat(cos(args), sin(args))   — cos FIRST; an odd dim gets a zero last column.
import { ConfigError, ShapeError, brief } from '../errors.ts';
import { tf } from '../tf.ts';

/** The float32 frequencies exp(−ln(maxPeriod)·i/half), i = 0 … half−1. */
export function timestepFrequencies(dim: number, maxPeriod = 10000): Float32Array {
  if (!(Number.isInteger(dim) && dim >= 2))
    throw new ConfigError({ op: 'timestepFeatures', arg: 'dim', expected: 'an integer ≥ 2', got: brief(dim) });
  const half = Math.floor(dim / 2);
  return Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(maxPeriod) * i) / half));
}

/**
 * @param t   [B] float32 (σ for SEDD/MDLM, t for others)
 * @param dim feature width (SEDD/MDLM: 256, fixed)
 * @returns   [B, dim]
 */
export function timestepFeatures(t: tf.Tensor, dim = 256, maxPeriod = 10000): tf.Tensor2D {
  if (t.rank !== 1)
    throw new ShapeError({ op: 'timestepFeatures', arg: 't', expected: 'rank 1 [B]', got: `[${t.shape}]` });
  const freqs = timestepFrequencies(dim, maxPeriod);
  return tf.tidy(() => {
    const args = tf.mul(tf.reshape(tf.cast(t, 'float32'), [-1, 1]), tf.tensor2d(freqs, [1, freqs.length])); // [B, half]
    const parts = [tf.cos(args), tf.sin(args)];
    if (dim % 2 === 1) parts.push(tf.zeros([t.shape[0]!, 1]));
    return tf.concat(parts, 1) as tf.Tensor2D;
  });
}
