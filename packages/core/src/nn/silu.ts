// SiLU (swish): x·σ(x) (torch.nn.SiLU; the DiT timestep MLP and LLaDA's gated MLP).
import { tf } from '../tf.ts';

export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}
