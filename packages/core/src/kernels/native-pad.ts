// PadV2 of a float32 tensor on the native path (@dlm/native pad: fill, then one strided copy, split over the addon's
// threads): the gradient of every Slice (a DiT's q/k/v row blocks of its [3D, D] weight, every step). Other dtypes,
// rank > 6, or the native path off: the wrapped kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { heapOffset, nativeHeap, padTo6, type NativeHeapBackend } from './native-heap.ts';

export function nativePad(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.x as TensorInfo;
    const rank = x.shape.length;
    const paddings = args.attrs?.paddings as [number, number][] | undefined;
    if (!addon || x.dtype !== 'float32' || rank < 1 || rank > 6 || paddings?.length !== rank) return inner(args);
    const before = paddings.map((p) => p[0]);
    const after = paddings.map((p) => p[1]);
    const backend = args.backend as unknown as NativeHeapBackend;
    const y = backend.makeOutput(
      x.shape.map((d, i) => d + before[i]! + after[i]!),
      'float32',
    );
    addon.pad(
      nativeHeap(backend),
      heapOffset(backend, x),
      heapOffset(backend, y),
      rank,
      ...padTo6(x.shape),
      ...padTo6(before),
      ...padTo6(after),
      Number(args.attrs?.constantValue ?? 0),
    );
    return y;
  };
  return { ...original, kernelFunc };
}
