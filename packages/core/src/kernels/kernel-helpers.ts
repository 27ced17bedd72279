// Helpers shared by the kernel wrappers (transpose-free-matmul.ts, batched-matmul.ts, fused-matmul.ts,
// one-hot.ts): a backend's own kernel by name, freeing intermediate tensors, and running a matmul body
// on untransposed operands. Kept apart so the wrappers import it and not each other.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSwapLastTwo, isHeapBackend } from './heap-transpose.ts';

/** Permutation swapping the last two axes of a rank-`rank` tensor: [..., m, k] → [..., k, m]. */
export function swapLastTwo(rank: number): number[] {
  const p = Array.from({ length: rank }, (_, i) => i);
  p[rank - 2] = rank - 1;
  p[rank - 1] = rank - 2;
  return p;
}

export interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

/** The backend's own kernel function for `kernelName` (throws if it has none). */
export function backendKernel(kernelName: string, backendName: string): KernelFunc {
  const config = tf.getKernel(kernelName, backendName);
  if (!config) throw new Error(`kernel completion: no ${kernelName} kernel on backend '${backendName}'`);
  return config.kernelFunc;
}

/**
 * Calls `body` with a and b stored untransposed (transposing the flagged ones) and frees those
 * temporaries afterwards.
 */
export function withPlainOperands(
  args: Parameters<KernelFunc>[0],
  transpose: KernelFunc,
  body: (a: TensorInfo, b: TensorInfo) => TensorInfo | TensorInfo[],
): TensorInfo | TensorInfo[] {
  const attrs = args.attrs ?? {};
  const { inputs, backend } = args;
  const temps: TensorInfo[] = [];
  const swapped = (x: TensorInfo): TensorInfo => {
    const y =
      isHeapBackend(backend) && x.dtype === 'float32'
        ? heapSwapLastTwo(backend, x)
        : (transpose({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as TensorInfo);
    temps.push(y);
    return y;
  };
  try {
    const a = attrs.transposeA ? swapped(inputs.a as TensorInfo) : (inputs.a as TensorInfo);
    const b = attrs.transposeB ? swapped(inputs.b as TensorInfo) : (inputs.b as TensorInfo);
    return body(a, b);
  } finally {
    for (const t of temps) (backend as DisposingBackend).disposeData(t.dataId);
  }
}
