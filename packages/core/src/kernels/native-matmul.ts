// BatchMatMul and _FusedMatMul on the native path (@dlm/native: BLAS sgemm on the wasm heap, no copies), in front
// of the wasm kernels. Same semantics as tfjs's kernels: a [...batchA, M, K] (or [..., K, M] with transposeA),
// b [...batchB, K, N] (or [..., N, K]); product i of max(batchA, batchB) takes a's batch i mod batchA and b's
// i mod batchB, the output is [...broadcast(batch dims), M, N]. _FusedMatMul adds a bias broadcast over the
// output's rows ([N], [1, ..., 1, N] or a scalar) and applies linear, relu, relu6, elu, sigmoid or leakyrelu.
// Anything else (prelu, another bias shape, non-float32 operands, an empty operand, or the native path off)
// runs the wrapped wasm kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** The addon's activation codes (packages/native/src/addon.cc). */
const ACTIVATION_CODE: Record<string, number | undefined> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  elu: 3,
  sigmoid: 4,
  leakyrelu: 5,
};

/** The bias length the addon takes (1 or N), or undefined for another shape. */
function biasLength(bias: TensorInfo, n: number): number | undefined {
  const size = prod(bias.shape);
  if (size === 1) return 1;
  if (size === n && bias.shape[bias.shape.length - 1] === n) return n;
  return undefined;
}

/**
 * op(a)·op(b) (+ bias, activation) with sgemm, or undefined when the native path does not take these operands.
 */
function nativeProduct(args: Parameters<KernelFunc>[0], fused: boolean): TensorInfo | undefined {
  const addon = activeNative();
  if (!addon) return undefined;
  const backend = args.backend as unknown as NativeHeapBackend;
  const attrs = args.attrs ?? {};
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  const bias = args.inputs.bias as TensorInfo | undefined;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  let act = 0;
  let biasLen = 0;
  if (fused) {
    const code = ACTIVATION_CODE[String(attrs.activation ?? 'linear')];
    if (code === undefined) return undefined;
    act = code;
    if (bias && bias.dtype !== 'float32') return undefined;
  }
  const ta = Boolean(attrs.transposeA);
  const tb = Boolean(attrs.transposeB);
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = ta ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = ta ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = tb ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = tb ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb || m === 0 || n === 0 || k === 0) return undefined;
  if (fused && bias) {
    const len = biasLength(bias, n);
    if (len === undefined) return undefined;
    biasLen = len;
  }
  const batchA = prod(a.shape.slice(0, -2));
  const batchB = prod(b.shape.slice(0, -2));
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const nOut = Math.max(batchA, batchB);
  // Batch dims that broadcast other than by `i mod batch` (e.g. [2, 1] with [1, 3]) stay with the wasm kernel.
  if (batchA === 0 || batchB === 0 || prod(outBatch) !== nOut) return undefined;

  const out = backend.makeOutput([...outBatch, m, n], 'float32');
  // The heap view is taken after the allocation (allocating may grow the memory and replace the buffer).
  const heap = nativeHeap(backend);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const aOff = at(a);
  const bOff = at(b);
  const cOff = at(out);
  const biasOff = fused && bias ? at(bias) : -1;
  const alpha = Number(attrs.leakyreluAlpha ?? 0.2);
  const sa = m * k;
  const sb = k * n;
  const sc = m * n;
  const gemm = (batch: number, rows: number, aO: number, aS: number, bO: number, bS: number, cO: number) =>
    addon.gemm(
      heap,
      batch,
      rows,
      n,
      k,
      ta ? 1 : 0,
      tb ? 1 : 0,
      aO,
      aS,
      bO,
      bS,
      cO,
      rows * n,
      biasOff,
      biasLen,
      act,
      alpha,
    );
  if (batchB === 1 && !ta) {
    // Shared b (a linear layer): a's batch folded into its rows, one [batchA·M, K]·[K, N] product.
    gemm(1, batchA * m, aOff, 0, bOff, 0, cOff);
  } else if (batchA === batchB || batchA === 1 || batchB === 1) {
    gemm(nOut, m, aOff, batchA === 1 ? 0 : sa, bOff, batchB === 1 ? 0 : sb, cOff);
  } else {
    for (let i = 0; i < nOut; i++) gemm(1, m, aOff + (i % batchA) * sa, 0, bOff + (i % batchB) * sb, 0, cOff + i * sc);
  }
  return out;
}

/** `original` (BatchMatMul or _FusedMatMul on wasm) with native sgemm in front of it. */
export function nativeMatMul(original: KernelConfig): KernelConfig {
  const fused = original.kernelName === tf._FusedMatMul;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => nativeProduct(args, fused) ?? inner(args);
  return { ...original, kernelFunc };
}
