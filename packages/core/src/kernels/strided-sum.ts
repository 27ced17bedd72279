// Sum over non-innermost axes on wasm without a transpose.
//
// tfjs-backend-wasm 4.22's Sum reduces only innermost axes: for any other axis it first runs
// its Transpose kernel (permuteAxesAndTranspose), which dominates. The training step sums over
// leading axes in every broadcast gradient (a bias [D] of x [N, D]: sum over axis 0; a gate
// [B, 1, D] of [B, L, D]: sum over axis 1); measured 17 ms for [2048, 1024] over axis 0.
// Here: x viewed as [outer, R, inner] with the reduced axes a contiguous block (inner > 1), one
// pass over the wasm heap accumulating rows in float64 (then rounded to float32: the same sum up
// to float32 rounding; the backend's own kernel adds in float32). Other cases: the original.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isHeapBackend } from './heap-transpose.ts';

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** out[o, i] = Σ_r x[o, r, i] for row-major x [outer, rows, inner]. */
export function sumMiddleAxis(
  x: ArrayLike<number>,
  out: { [i: number]: number },
  outer: number,
  rows: number,
  inner: number,
): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * rows * inner;
    for (let r = 0; r < rows; r++) {
      const off = base + r * inner;
      for (let i = 0; i < inner; i++) acc[i]! += x[off + i]!;
    }
    const ob = o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i]!;
  }
}

/** `original` (wasm Sum) reducing a contiguous block of non-innermost axes of float32 x directly. */
export function stridedSum(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { backend } = args;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam((args.attrs?.axis ?? []) as number | number[], x.shape).sort((p, q) => p - q);
    const first = axes[0];
    const last = axes[axes.length - 1];
    const contiguous = axes.every((a, i) => a === first! + i);
    if (
      x.dtype !== 'float32' ||
      !isHeapBackend(backend) ||
      first === undefined ||
      last === undefined ||
      !contiguous ||
      last === rank - 1 ||
      prod(x.shape) === 0
    ) {
      return inner(args);
    }
    const outer = prod(x.shape.slice(0, first));
    const rows = prod(x.shape.slice(first, last + 1));
    const innerSize = prod(x.shape.slice(last + 1));
    const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = args.attrs?.keepDims ? keep : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    // Views after makeOutput (allocating may replace the heap buffer).
    sumMiddleAxis(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), outer, rows, innerSize);
    return out;
  };
  return { ...original, kernelFunc };
}
