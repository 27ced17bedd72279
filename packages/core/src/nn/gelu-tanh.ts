// GELU, tanh approximation (torch.nn.GELU(approximate="tanh"), the SEDD/MDLM DiT MLP):
//   gelu(u) = 0.5·u·(1 + tanh(√(2/π)·(u + 0.044715·u³)))
// computed through the identity 0.5·(1 + tanh(z)) = σ(2z):
//   gelu(u) = u·σ(u·(a + b·u²)),  a = 2√(2/π),  b = 2√(2/π)·0.044715
// Same function; tfjs-backend-wasm's Tanh is scalar code (~7× slower than its Sigmoid), and the
// σ form also avoids the cancellation in 1 + tanh(z) for very negative u.
// On the native path (nativeFusedOn) one fused kernel and its gradient kernel compute the same formula
// (kernels/native-gelu-tanh.ts).
import { tf } from '../tf.ts';
import { GELU_TANH } from '../kernels/native-gelu-tanh.ts';
import { nativeFusedOn } from '../kernels/native-heap.ts';

const A = 2 * Math.sqrt(2 / Math.PI);
const B = A * 0.044715;

export function geluTanh(u: tf.Tensor): tf.Tensor {
  if (nativeFusedOn(u)) return tf.engine().runKernel(GELU_TANH, { x: u }) as tf.Tensor;
  return tf.tidy(() => tf.mul(u, tf.sigmoid(tf.mul(u, tf.add(tf.mul(tf.square(u), B), A)))));
}
