// Slice on the native path (@dlm/native slice): rank ≤ 6, 4-byte dtypes, runs of the last axis copied at a time
// (the DiT's q/k/v row blocks of its [3D, D] weight, every step). Other dtypes or ranks, or the native path off: the
// wrapped kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, padTo6, stridedCopyable, type NativeHeapBackend } from './native-heap.ts';

export function nativeSlice(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.x as TensorInfo;
    const rank = x.shape.length;
    if (!addon || !stridedCopyable(x)) return inner(args);
    const [begin, size] = tf.slice_util.parseSliceParams(
      x as tf.Tensor,
      args.attrs?.begin as number[],
      args.attrs?.size as number[],
    ) as [number[], number[]];
    const backend = args.backend as unknown as NativeHeapBackend;
    const out = backend.makeOutput(size, x.dtype);
    addon.slice(
      nativeHeap(backend),
      heapOffset(backend, x),
      heapOffset(backend, out),
      rank,
      ...padTo6(x.shape),
      ...padTo6(begin),
      ...padTo6(size),
    );
    return out;
  };
  return { ...original, kernelFunc };
}
