// GELU, tanh approximation (torch.nn.GELU(approximate="tanh"), the SEDD/MDLM DiT MLP):
//   gelu(u) = 0.5·u·(1 + tanh(√(2/π)·(u + 0.044715·u³)))
import { tf } from '../tf.ts';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function geluTanh(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(u, tf.mul(tf.mul(tf.mul(u, u), u), 0.044715)), SQRT_2_OVER_PI);
    return tf.mul(tf.mul(u, 0.5), tf.add(tf.tanh(inner), 1));
  });
}
