// Transpose on the native path (@dlm/native transpose): any permutation of rank ≤ 6 for 4-byte dtypes (float32,
// int32), walking the output in order and copying whole rows when the last axis stays last (attention's
// [B, L, H, hd] ↔ [B, H, L, hd] head split and merge, forward and backward). Other dtypes or ranks, or the native
// path off: the wrapped kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, padTo6, stridedCopyable, type NativeHeapBackend } from './native-heap.ts';

export function nativeTranspose(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.x as TensorInfo;
    const perm = (args.attrs?.perm ?? []) as number[];
    const rank = x.shape.length;
    if (!addon || !stridedCopyable(x) || perm.length !== rank) return inner(args);
    const backend = args.backend as unknown as NativeHeapBackend;
    const out = backend.makeOutput(
      perm.map((p) => x.shape[p]!),
      x.dtype,
    );
    addon.transpose(
      nativeHeap(backend),
      heapOffset(backend, x),
      heapOffset(backend, out),
      rank,
      ...padTo6(x.shape),
      ...padTo6(perm),
    );
    return out;
  };
  return { ...original, kernelFunc };
}
