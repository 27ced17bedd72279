// SplitV of 4-byte data on the native path: one @dlm/native slice per piece (the wasm kernel slices through its own
// slice function, not the registered Slice, so native-slice.ts does not reach it). A fused q/k/v projection split
// in three, every layer and step. Other dtypes, rank > 6, or the native path off: the wrapped kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, padTo6, stridedCopyable, type NativeHeapBackend } from './native-heap.ts';

export function nativeSplit(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.x as TensorInfo;
    const rank = x.shape.length;
    if (!addon || !stridedCopyable(x)) return inner(args);
    const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(
      x as tf.Tensor,
      args.attrs?.numOrSizeSplits as number | number[],
      axis,
    );
    const backend = args.backend as unknown as NativeHeapBackend;
    const begin = x.shape.map(() => 0);
    return sizes.map((s) => {
      const size = x.shape.map((d, i) => (i === axis ? s : d));
      const y = backend.makeOutput(size, x.dtype);
      if (size.every((d) => d > 0)) {
        addon.slice(
          nativeHeap(backend),
          heapOffset(backend, x),
          heapOffset(backend, y),
          rank,
          ...padTo6(x.shape),
          ...padTo6(begin),
          ...padTo6(size),
        );
      }
      begin[axis]! += s;
      return y;
    });
  };
  return { ...original, kernelFunc };
}
