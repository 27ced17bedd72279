// Kernel completion: registers our kernels over (or next to) a backend's own. Idempotent.
//   cpu:  UnsortedSegmentSum (direct O(N·inner) instead of O(numSegments·N)).
//   wasm: UnsortedSegmentSum (missing in 4.22), BatchMatMul (batched products through the fast
//         batch-1 XNNPACK path, batched-matmul.ts) and _FusedMatMul with transposes
//         done by an explicit Transpose (the transposed wasm matmul is 13–70× slower), and
//         _FusedMatMul's wrong bias for batch > 1 worked around (fused-matmul.ts), float32
//         OneHot built in int32 and cast (one-hot.ts), Identity and same-dtype Cast sharing
//         memory instead of copying (alias-identity.ts), Sum over leading axes without a
//         transpose (strided-sum.ts).
// Must run before the backend is first set, so setup functions run for every kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { aliasingCast, aliasingIdentity } from './alias-identity.ts';
import { fusedMatMulWasm } from './fused-matmul.ts';
import { oneHotWasm } from './one-hot.ts';
import { stridedSum } from './strided-sum.ts';
import { transposeFreeMatMul } from './transpose-free-matmul.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';

const completed = new Set<string>();
const ours = new Set<KernelFunc>();

function override(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
  ours.add(config.kernelFunc);
}

/** True when the kernel registered for (kernelName, backendName) is one of ours. */
export function isCompletedKernel(kernelName: string, backendName: string): boolean {
  const k = tf.getKernel(kernelName, backendName);
  return k !== undefined && ours.has(k.kernelFunc);
}

/** The kernels each backend gets from us, by tfjs backend name. */
export const COMPLETED_KERNELS: Readonly<Record<string, readonly string[]>> = {
  cpu: [tf.UnsortedSegmentSum],
  wasm: [tf.UnsortedSegmentSum, tf.BatchMatMul, tf._FusedMatMul, tf.OneHot, tf.Identity, tf.Cast, tf.Sum],
};

export function completeKernels(backendName: 'cpu' | 'wasm'): void {
  if (completed.has(backendName)) return;
  override(unsortedSegmentSumConfig(backendName));
  if (backendName === 'wasm') {
    const matmul = tf.getKernel(tf.BatchMatMul, 'wasm');
    if (matmul) override(transposeFreeMatMul(matmul));
    const fused = tf.getKernel(tf._FusedMatMul, 'wasm');
    if (fused) override(fusedMatMulWasm(fused));
    const oneHot = tf.getKernel(tf.OneHot, 'wasm');
    if (oneHot) override(oneHotWasm(oneHot));
    const identity = tf.getKernel(tf.Identity, 'wasm');
    if (identity) override(aliasingIdentity(identity));
    const cast = tf.getKernel(tf.Cast, 'wasm');
    if (cast) override(aliasingCast(cast));
    const sum = tf.getKernel(tf.Sum, 'wasm');
    if (sum) override(stridedSum(sum));
  }
  completed.add(backendName);
}
