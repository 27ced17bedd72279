// Add, Sub, Multiply and RealDiv of float32 tensors on the native path (@dlm/native binary): broadcasting by strides
// (0 along a broadcast axis), axes merged where both inputs are contiguous across them, split over the addon's
// threads. The wasm kernels run one thread; these ops (residuals, adaLN modulation, attention scaling, gradients)
// are most of a transformer step outside the matmuls. Other dtypes, more than six axes after merging, or the native
// path off: the wrapped kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, padTo6, type NativeHeapBackend } from './native-heap.ts';

/** The addon's op codes (packages/native/src/binary.cc). */
export const BINARY_OPS = { add: 0, sub: 1, mul: 2, div: 3 } as const;

/** Strides of `shape` read against output axes `out` (right-aligned), 0 where it broadcasts. */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1, j = out.length - 1; i >= 0; i--, j--) {
    strides[j] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * The output dims and both inputs' strides with unit axes dropped and neighbours merged where both inputs walk
 * them as one axis (a[i] = a[i+1]·d[i+1], the same for b; two broadcast axes merge too).
 */
export function mergedBroadcast(
  aShape: readonly number[],
  bShape: readonly number[],
  out: readonly number[],
): { dims: number[]; sa: number[]; sb: number[] } {
  const sa0 = broadcastStrides(aShape, out);
  const sb0 = broadcastStrides(bShape, out);
  const dims: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  out.forEach((d, i) => {
    if (d === 1) return;
    const k = dims.length - 1;
    if (k >= 0 && sa[k] === sa0[i]! * d && sb[k] === sb0[i]! * d) {
      dims[k]! *= d;
      sa[k] = sa0[i]!;
      sb[k] = sb0[i]!;
    } else {
      dims.push(d);
      sa.push(sa0[i]!);
      sb.push(sb0[i]!);
    }
  });
  if (dims.length === 0) return { dims: [1], sa: [0], sb: [0] };
  return { dims, sa, sb };
}

export function nativeBinary(op: keyof typeof BINARY_OPS): (original: KernelConfig) => KernelConfig {
  return (original) => {
    const inner = original.kernelFunc;
    const kernelFunc: KernelFunc = (args) => {
      const addon = activeNative();
      const a = args.inputs.a as TensorInfo;
      const b = args.inputs.b as TensorInfo;
      if (!addon || a.dtype !== 'float32' || b.dtype !== 'float32') return inner(args);
      const out = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const { dims, sa, sb } = mergedBroadcast(a.shape, b.shape, out);
      if (dims.length > 6) return inner(args);
      const backend = args.backend as unknown as NativeHeapBackend;
      const y = backend.makeOutput(out, 'float32');
      if (out.some((d) => d === 0)) return y;
      addon.binary(
        nativeHeap(backend),
        BINARY_OPS[op],
        heapOffset(backend, a),
        heapOffset(backend, b),
        heapOffset(backend, y),
        dims.length,
        ...padTo6(dims),
        ...padTo6(sa),
        ...padTo6(sb),
      );
      return y;
    };
    return { ...original, kernelFunc };
  };
}
