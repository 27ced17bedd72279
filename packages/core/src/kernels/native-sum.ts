// Sum on the native path: x viewed as [outer, R, inner] with the reduced axes one contiguous block (innermost
// included), one pass with float64 accumulators (@dlm/native sumMiddle), as strided-sum.ts does in JS for the
// non-innermost case. Bias and broadcast gradients of a transformer step are such sums ([N, D] over rows,
// [B, L, D] over L). Other axes, dtypes, empty tensors, or the native path off: the wrapped kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

export function nativeSum(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.x as TensorInfo;
    if (!addon || x.dtype !== 'float32' || prod(x.shape) === 0) return inner(args);
    const axes = tf.util.parseAxisParam((args.attrs?.axis ?? []) as number | number[], x.shape).sort((p, q) => p - q);
    const first = axes[0];
    const last = axes[axes.length - 1];
    if (first === undefined || last === undefined || !axes.every((a, i) => a === first + i)) return inner(args);
    const backend = args.backend as unknown as NativeHeapBackend;
    const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = args.attrs?.keepDims ? keep : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    const outer = prod(x.shape.slice(0, first));
    const red = prod(x.shape.slice(first, last + 1));
    const innerSize = prod(x.shape.slice(last + 1));
    addon.sumMiddle(nativeHeap(backend), heapOffset(backend, x), heapOffset(backend, out), outer, red, innerSize);
    return out;
  };
  return { ...original, kernelFunc };
}
