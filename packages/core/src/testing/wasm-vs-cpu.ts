// Test helper for kernel work: runs `fn` on wasm and then on cpu (same host inputs inside fn)
// and returns [wasm output, cpu output] as float32, leaving wasm as the current backend.
import { tf } from '../tf.ts';

export async function wasmAndCpu(
  fn: () => Float32Array | Int32Array | Uint8Array,
): Promise<[Float32Array, Float32Array]> {
  await tf.setBackend('wasm');
  const got = Float32Array.from(tf.tidy(fn));
  await tf.setBackend('cpu');
  const want = Float32Array.from(tf.tidy(fn));
  await tf.setBackend('wasm');
  return [got, want];
}
