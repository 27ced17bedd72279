// Kernel completion: registers our kernels over (or next to) a backend's own. Idempotent.
//   cpu:  UnsortedSegmentSum (direct O(N·inner) instead of O(numSegments·N)).
//   wasm: UnsortedSegmentSum (missing in 4.22), BatchMatMul and _FusedMatMul with transposes
//         done by an explicit Transpose (the transposed wasm matmul is 13–70× slower).
// Must run before the backend is first set, so setup functions run for every kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { transposeFreeMatMul } from './transpose-free-matmul.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';

const completed = new Set<string>();

function override(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** The kernels each backend gets from us, by tfjs backend name. */
export const COMPLETED_KERNELS: Readonly<Record<string, readonly string[]>> = {
  cpu: [tf.UnsortedSegmentSum],
  wasm: [tf.UnsortedSegmentSum, tf.BatchMatMul, tf._FusedMatMul],
};

export function completeKernels(backendName: 'cpu' | 'wasm'): void {
  if (completed.has(backendName)) return;
  override(unsortedSegmentSumConfig(backendName));
  if (backendName === 'wasm') {
    for (const name of [tf.BatchMatMul, tf._FusedMatMul]) {
      const original = tf.getKernel(name, 'wasm');
      if (original) override(transposeFreeMatMul(original));
    }
  }
  completed.add(backendName);
}
