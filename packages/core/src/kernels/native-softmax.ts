// Softmax over the last axis of a float32 tensor on the native path (@dlm/native softmax: max-subtracted exp, the
// sum in float64, rows split over the addon's threads): attention's [B, H, L, L] scores. Another axis, another
// dtype, or the native path off: the wrapped kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

export function nativeSoftmax(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.logits as TensorInfo;
    const rank = x.shape.length;
    const dim = Number(args.attrs?.dim ?? -1);
    if (!addon || x.dtype !== 'float32' || rank < 1 || (dim !== -1 && dim !== rank - 1)) return inner(args);
    const d = x.shape[rank - 1]!;
    const n = x.shape.reduce((p, q) => p * q, 1);
    const backend = args.backend as unknown as NativeHeapBackend;
    const y = backend.makeOutput([...x.shape], 'float32');
    if (n > 0) addon.softmax(nativeHeap(backend), heapOffset(backend, x), heapOffset(backend, y), n / d, d);
    return y;
  };
  return { ...original, kernelFunc };
}
