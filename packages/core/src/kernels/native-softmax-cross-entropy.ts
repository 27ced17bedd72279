// Fused softmax cross-entropy per row and its logits gradient, as two kernels of the wasm backend run by @dlm/native
// (softmaxCrossEntropy / softmaxCrossEntropyGrad) instead of ../nn/cross-entropy.ts's logSoftmax, one-hot, product
// and sum (and their gradients) over the [N, V] logits:
//   nll[n] = logΣ_v exp(z[n, v]) − z[n, t[n]]  (max subtracted first);  ∂nll[n]/∂z[n] = softmax(z[n]) − onehot(t[n]).
// Inputs: logits z [N, V] float32, targets t [N] int32 in [0, V) (a target outside gives NaN for its row).
// crossEntropy() uses them when nativeFusedOn(); should one run with the native path off, a JS loop on the heap
// computes the same.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapF32, heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

export const SOFTMAX_CROSS_ENTROPY = 'DlmSoftmaxCrossEntropy';
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'DlmSoftmaxCrossEntropyGrad';

/** [max, log Σ exp(z − max)] of row r of z [rows, v]. */
function logSumExp(z: Float32Array, r: number, v: number): [number, number] {
  let m = -Infinity;
  for (let j = 0; j < v; j++) m = Math.max(m, z[r * v + j]!);
  let s = 0;
  for (let j = 0; j < v; j++) s += Math.exp(z[r * v + j]! - m);
  return [m, Math.log(s)];
}

function targetsOf(b: NativeHeapBackend, t: TensorInfo): Int32Array {
  const f = heapF32(b, t);
  return new Int32Array(f.buffer, f.byteOffset, f.length);
}

const forward: KernelFunc = ({ inputs, backend }) => {
  const z = inputs.logits as TensorInfo;
  const t = inputs.targets as TensorInfo;
  const [rows, v] = z.shape as [number, number];
  const b = backend as unknown as NativeHeapBackend;
  const nll = b.makeOutput([rows], 'float32');
  const addon = activeNative();
  if (addon) addon.softmaxCrossEntropy(nativeHeap(b), heapOffset(b, z), heapOffset(b, t), heapOffset(b, nll), rows, v);
  else {
    const [zs, ts, out] = [heapF32(b, z), targetsOf(b, t), heapF32(b, nll)];
    for (let r = 0; r < rows; r++) {
      const [m, lse] = logSumExp(zs, r, v);
      const k = ts[r]!;
      out[r] = k >= 0 && k < v ? lse - (zs[r * v + k]! - m) : NaN;
    }
  }
  return nll;
};

const backward: KernelFunc = ({ inputs, backend }) => {
  const dy = inputs.dy as TensorInfo;
  const z = inputs.logits as TensorInfo;
  const t = inputs.targets as TensorInfo;
  const [rows, v] = z.shape as [number, number];
  const b = backend as unknown as NativeHeapBackend;
  const dz = b.makeOutput([rows, v], 'float32');
  const addon = activeNative();
  if (addon)
    addon.softmaxCrossEntropyGrad(
      nativeHeap(b),
      heapOffset(b, dy),
      heapOffset(b, z),
      heapOffset(b, t),
      heapOffset(b, dz),
      rows,
      v,
    );
  else {
    const [g, zs, ts, out] = [heapF32(b, dy), heapF32(b, z), targetsOf(b, t), heapF32(b, dz)];
    for (let r = 0; r < rows; r++) {
      const [m, lse] = logSumExp(zs, r, v);
      const k = ts[r]!;
      for (let j = 0; j < v; j++) out[r * v + j] = k >= 0 && k < v ? g[r]! * Math.exp(zs[r * v + j]! - m - lse) : NaN;
      if (k >= 0 && k < v) out[r * v + k] = out[r * v + k]! - g[r]!;
    }
  }
  return dz;
};

/** The forward kernel (its gradient runs SOFTMAX_CROSS_ENTROPY_GRAD; the int32 targets get a zero gradient). */
export function softmaxCrossEntropyKernel(backendName: string): KernelConfig {
  tf.registerGradient({
    kernelName: SOFTMAX_CROSS_ENTROPY,
    inputsToSave: ['logits', 'targets'],
    gradFunc: (dy, saved) => ({
      logits: () =>
        tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, {
          dy: dy as tf.Tensor,
          logits: saved[0]!,
          targets: saved[1]!,
        }) as tf.Tensor,
      targets: () => tf.zerosLike(saved[1]!),
    }),
  });
  return { kernelName: SOFTMAX_CROSS_ENTROPY, backendName, kernelFunc: forward };
}

export function softmaxCrossEntropyGradKernel(backendName: string): KernelConfig {
  return { kernelName: SOFTMAX_CROSS_ENTROPY_GRAD, backendName, kernelFunc: backward };
}
