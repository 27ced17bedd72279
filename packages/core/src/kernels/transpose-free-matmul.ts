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
import { backendKernel, withPlainOperands, type DisposingBackend } from './kernel-helpers.ts';

/**
 * Aᵀ·B for 2-D float32 a [K, M], b [K, N] with N > M on a wasm heap, as (Bᵀ·A)ᵀ: the plain
 * kernel packs its right operand (XNNPACK weights, keyed on the tensor, so fresh operands such
 * as a weight gradient's activations are packed on every call) from the [K, N] layout, which
 * costs far more than the product's share for wide N (measured ~20 ms for a fresh [2048, 1024]
 * vs ~2 ms for [2048, 256]); this route packs the narrower a and transposes b and the [N, M]
 * result instead. Same dot products. Undefined when it does not apply.
 */
function wideTN(args: Parameters<KernelFunc>[0], inner: KernelFunc): TensorInfo | undefined {
  const { backend } = args;
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  if (
    !isHeapBackend(backend) ||
    a.shape.length !== 2 ||
    b.shape.length !== 2 ||
    a.dtype !== 'float32' ||
    b.dtype !== 'float32'
  )
    return undefined;
  const [k, m] = a.shape as [number, number];
  const [kb, n] = b.shape as [number, number];
  if (k !== kb || n <= m) return undefined;
  const free = (t: TensorInfo) => (backend as unknown as DisposingBackend).disposeData(t.dataId);
  const bT = heapSwapLastTwo(backend, b); // [N, K]
  let cT: TensorInfo | undefined;
  try {
    // [N, M]
    cT = inner({ inputs: { a: bT, b: a }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    return heapSwapLastTwo(backend, cT); // [M, N]
  } finally {
    free(bT);
    if (cT) free(cT);
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
    const wide = attrs.transposeA && !attrs.transposeB ? wideTN(args, inner) : undefined;
    if (wide) return wide;
    return withPlainOperands(args, transpose, (a, b) => {
      const byRows =
        isHeapBackend(backend) && a.dtype === 'float32' && b.dtype === 'float32'
          ? batchedMatMulByRows(backend as never, inner, reshape, a, b)
          : undefined;
      return (
        byRows ??
        inner({ inputs: { ...args.inputs, a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } })
      );
    });
  };
  return { ...original, kernelFunc };
}
