// GatherV2 on the native path: x viewed as [outer, N, inner] around `axis`, float32 x, int32 indices, batchDims 0;
// rows copied by @dlm/native gather (the wasm kernel took ~35 ms for the [1025, 256] embedding's 2048 rows).
// Other dtypes, batchDims, empty tensors, an index outside [0, N) (left to the wasm kernel's own behaviour), or the
// native path off: the wrapped kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';
import type { DisposingBackend } from './kernel-helpers.ts';
import { heapOffset, nativeHeap, type NativeHeapBackend } from './native-heap.ts';

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

export function nativeGather(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const addon = activeNative();
    const x = args.inputs.x as TensorInfo;
    const indices = args.inputs.indices as TensorInfo;
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (!addon || x.dtype !== 'float32' || indices.dtype !== 'int32' || batchDims !== 0) return inner(args);
    const [axis] = tf.util.parseAxisParam((args.attrs?.axis ?? 0) as number, x.shape);
    const count = prod(indices.shape);
    if (axis === undefined || prod(x.shape) === 0 || count === 0) return inner(args);
    const backend = args.backend as unknown as NativeHeapBackend & DisposingBackend;
    const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const out = backend.makeOutput(outShape, 'float32');
    const outer = prod(x.shape.slice(0, axis));
    const innerSize = prod(x.shape.slice(axis + 1));
    try {
      const h = nativeHeap(backend);
      const [xo, io, oo] = [heapOffset(backend, x), heapOffset(backend, indices), heapOffset(backend, out)];
      addon.gather(h, xo, io, oo, outer, x.shape[axis]!, innerSize, count);
    } catch (e) {
      backend.disposeData(out.dataId);
      if (e instanceof RangeError && /is outside \[0,/.test(e.message)) return inner(args);
      throw e;
    }
    return out;
  };
  return { ...original, kernelFunc };
}
