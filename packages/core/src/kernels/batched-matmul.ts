// Batched matmul for tfjs-backend-wasm 4.22 through its fast single-matrix path.
//
// The wasm BatchMatMul runs XNNPACK (fully_connected) only when BOTH operands have batch 1;
// any batch > 1 falls to a scalar blocked triple loop (tfjs-backend-wasm
// src/cc/batch_mat_mul_impl.cc: slow_batch_matmul), measured ~2.4–5 GFLOP/s on attention's
// [B·H, L, hd] products vs ~30 GFLOP/s for the same work as 2-D matmuls. Same products, two exact
// routes (each output element is the same K-term dot product, summed by XNNPACK instead):
//  - b shared by every batch (b's batch is 1): fold a's batch into rows, [1, B·M, K]·[1, K, N];
//  - otherwise: one [1, M, K]·[1, K, N] call per output batch, operands copied out of the wasm
//    heap into their own tensors (XNNPACK keys its packed weights on b's tensor), result copied
//    back into the [B, M, N] output.
// Batches pair up as in tfjs's own kernels (cpu and wasm BatchMatMul): max(batchA, batchB)
// products, product i taking a's batch i mod batchA and b's batch i mod batchB, the output shaped
// [...broadcast(batch dims), M, N] (numpy broadcasting whenever the batch dims match or one is 1).
// Operands must already be untransposed (transpose-free-matmul.ts does that first).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap-transpose.ts';
import type { DisposingBackend } from './kernel-helpers.ts';

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/**
 * a [...batchA, M, K] · b [...batchB, K, N] → [...broadcast(batchA, batchB), M, N], both float32
 * and untransposed, with `plain` (the backend's own BatchMatMul) only ever called with batch 1.
 * Returns undefined when the operands need no help (one product).
 */
export function batchedMatMulByRows(
  backend: HeapBackend & DisposingBackend,
  plain: KernelFunc,
  reshape: KernelFunc,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo | undefined {
  const batchA = prod(a.shape.slice(0, -2));
  const batchB = prod(b.shape.slice(0, -2));
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const nOut = Math.max(batchA, batchB);
  if (nOut <= 1) return undefined;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 1]!;
  const attrs = { transposeA: false, transposeB: false };
  const call = (x: TensorInfo, y: TensorInfo) =>
    plain({ inputs: { a: x, b: y }, backend: backend as never, attrs }) as TensorInfo;
  const free = (t: TensorInfo) => backend.disposeData(t.dataId);

  if (batchB === 1) {
    // Shared b: one [B·M, K]·[K, N] product (Reshape shares a's memory).
    const a1 = reshape({
      inputs: { x: a },
      backend: backend as never,
      attrs: { shape: [1, nOut * m, k] },
    }) as TensorInfo;
    try {
      const out = call(a1, b);
      out.shape = [...outBatch, m, n]; // same memory, [1, B·M, N] read as [..., M, N]
      return out;
    } finally {
      free(a1);
    }
  }

  const out = backend.makeOutput([nOut, m, n], 'float32');
  const sa = m * k;
  const sb = k * n;
  const so = m * n;
  for (let o = 0; o < nOut; o++) {
    const ai = backend.makeOutput([1, m, k], 'float32');
    const bi = backend.makeOutput([1, k, n], 'float32');
    let oi: TensorInfo | undefined;
    try {
      // Heap views are taken after each allocation (allocating may replace the heap buffer).
      const av = backend.typedArrayFromHeap(a);
      const bv = backend.typedArrayFromHeap(b);
      const ia = o % batchA;
      const ib = o % batchB;
      backend.typedArrayFromHeap(ai).set(av.subarray(ia * sa, (ia + 1) * sa));
      backend.typedArrayFromHeap(bi).set(bv.subarray(ib * sb, (ib + 1) * sb));
      oi = call(ai, bi);
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(oi), o * so);
    } finally {
      free(ai);
      free(bi);
      if (oi) free(oi);
    }
  }
  out.shape = [...outBatch, m, n];
  return out;
}
