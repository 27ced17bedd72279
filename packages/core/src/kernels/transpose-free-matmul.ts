// BatchMatMul / _FusedMatMul without the slow transposed path of tfjs-backend-wasm 4.22.
//
// The wasm kernels accept transposeA/transposeB, but the transposed variants run 13–70× slower
// than the plain one, and every matmul gradient transposes (dA = dY·Bᵀ, dB = Aᵀ·dY). Wrapping
// the original kernel: transpose the flagged operand(s) explicitly with the backend's own
// Transpose kernel (memory-bound, O(size)), then run the plain NN kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** Permutation swapping the last two axes of a rank-`rank` tensor: [..., m, k] → [..., k, m]. */
export function swapLastTwo(rank: number): number[] {
  const p = Array.from({ length: rank }, (_, i) => i);
  p[rank - 2] = rank - 1;
  p[rank - 1] = rank - 2;
  return p;
}

interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

/** `original` (a BatchMatMul or _FusedMatMul config) with transposes done before the call. */
export function transposeFreeMatMul(original: KernelConfig): KernelConfig {
  const { backendName } = original;
  const inner = original.kernelFunc;
  const transposeConfig = tf.getKernel(tf.Transpose, backendName);
  if (!transposeConfig) throw new Error(`transposeFreeMatMul: no Transpose kernel on backend '${backendName}'`);
  const transpose = transposeConfig.kernelFunc;

  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs ?? {};
    if (!attrs.transposeA && !attrs.transposeB) return inner(args);
    const { inputs, backend } = args;
    const temps: TensorInfo[] = [];
    const swapped = (x: TensorInfo): TensorInfo => {
      const y = transpose({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as TensorInfo;
      temps.push(y);
      return y;
    };
    try {
      const a = attrs.transposeA ? swapped(inputs.a as TensorInfo) : inputs.a;
      const b = attrs.transposeB ? swapped(inputs.b as TensorInfo) : inputs.b;
      return inner({
        inputs: { ...inputs, a: a as TensorInfo, b: b as TensorInfo },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temps) (backend as DisposingBackend).disposeData(t.dataId);
    }
  };
  return { ...original, kernelFunc };
}
