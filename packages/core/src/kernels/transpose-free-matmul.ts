// BatchMatMul / _FusedMatMul without the slow transposed path of tfjs-backend-wasm 4.22.
//
// The wasm kernels accept transposeA/transposeB, but the transposed variants run 13–70× slower
// than the plain one, and every matmul gradient transposes (dA = dY·Bᵀ, dB = Aᵀ·dY). Wrapping
// the original kernel: transpose the flagged operand(s) explicitly (memory-bound, O(size): on
// the wasm heap with a blocked loop, else the backend's Transpose kernel), then run the plain
// NN kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { batchedMatMulByRows } from './batched-matmul.ts';
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

/**
 * `original` (a BatchMatMul config) with transposes done before the call, and batched products
 * on a wasm heap routed through its fast batch-1 path (batched-matmul.ts).
 */
export function transposeFreeMatMul(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const transpose = backendKernel(tf.Transpose, original.backendName);
  const reshape = backendKernel(tf.Reshape, original.backendName);
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs ?? {};
    const { backend } = args;
    return withPlainOperands(args, transpose, (a, b) => {
      const byRows = isHeapBackend(backend) && a.dtype === 'float32' && b.dtype === 'float32' ? batchedMatMulByRows(backend as never, inner, reshape, a, b) : undefined;
      return byRows ?? inner({ inputs: { ...args.inputs, a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    });
  };
  return { ...original, kernelFunc };
}
