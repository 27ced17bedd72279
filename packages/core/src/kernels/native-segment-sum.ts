// UnsortedSegmentSum on the native path (@dlm/native segmentSum: float32 x, int32 ids, in place on the heap, split
// over the addon's threads by columns): the embedding gradient, every training step. The same semantics and errors
// as the host kernel it wraps (unsorted-segment-sum.ts): negative ids dropped, an id ≥ numSegments a ConfigError.
// Other dtypes, or the native path off: the wrapped kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import { ConfigError } from '../errors.ts';
import { heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

export function nativeSegmentSum(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.x as TensorInfo;
    const ids = args.inputs.segmentIds as TensorInfo;
    const numSegments = Number(args.attrs?.numSegments);
    const r = ids.shape.length;
    const prefix = r <= x.shape.length && ids.shape.every((d, i) => d === x.shape[i]);
    if (
      !addon ||
      x.dtype !== 'float32' ||
      ids.dtype !== 'int32' ||
      !prefix ||
      !(Number.isInteger(numSegments) && numSegments >= 0)
    )
      return inner(args); // the host kernel, which also names a bad shape or count
    const backend = args.backend as unknown as NativeHeapBackend;
    const n = ids.shape.reduce((p, q) => p * q, 1);
    const innerShape = x.shape.slice(r);
    const width = innerShape.reduce((p, q) => p * q, 1);
    const heap = nativeHeap(backend);
    const idsOff = heapOffset(backend, ids);
    const idView = new Int32Array(heap.buffer, heap.byteOffset + idsOff * 4, n);
    const bad = idView.findIndex((s) => s >= numSegments);
    if (bad >= 0)
      throw new ConfigError({
        op: 'UnsortedSegmentSum',
        arg: `segmentIds[${bad}]`,
        expected: `an id < numSegments = ${numSegments}`,
        got: String(idView[bad]),
      });
    const y = backend.makeOutput([numSegments, ...innerShape], 'float32');
    // The view again: makeOutput may have grown the memory.
    addon.segmentSum(
      nativeHeap(backend),
      heapOffset(backend, x),
      idsOff,
      heapOffset(backend, y),
      n,
      width,
      numSegments,
    );
    return y;
  };
  return { ...original, kernelFunc };
}
