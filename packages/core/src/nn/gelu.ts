// GELU, exact (erf) form: torch.nn.functional.gelu (approximate='none'), Hugging Face ACT2FN['gelu'],
// the activation of BERT layers (hidden_act "gelu" in bert-base-uncased's config, used by the
// Diffusion-LM / DiffuSeq encoders):
//   gelu(u) = 0.5·u·(1 + erf(u/√2)) = u·Φ(u)
// tfjs's Erf kernel (cpu and wasm) is the Abramowitz–Stegun 7.1.26 rational approximation, |error| ≤ 1.5e-7,
// below float32 resolution of the result for |u| ≲ 10. The tanh approximation is gelu-tanh.ts.
import { tf } from '../tf.ts';

/** @param u [...] float32 → [...] */
export function gelu(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(u, 0.5), tf.add(tf.erf(tf.mul(u, Math.SQRT1_2)), 1)));
}
