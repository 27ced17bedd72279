// UnsortedSegmentSum in O(N·inner): out[ids[i], :] += x[i, :].
//
// This is the gradient of tf.gather (embedding lookups): tfjs-core gather_grad calls
// unsortedSegmentSum(dy, indices, numRows). tfjs-backend-wasm 4.22 has no kernel for it, and
// the cpu kernel builds one mask per segment (O(numSegments·N)), unusable for a vocabulary.
// Semantics follow tf.math.unsorted_segment_sum: segmentIds.shape is a prefix of x.shape,
// out.shape = [numSegments, ...x.shape[segmentIds.rank:]], negative ids are dropped.
// Accumulation is float32 for float32 input (as PyTorch's index_add_ on float32 tensors).
import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ShapeError, ConfigError } from '../errors.ts';

type Values = Float32Array | Int32Array | Uint8Array;

interface HostBackend {
  readSync(dataId: object): unknown;
  /** cpu */
  makeTensorInfo?(shape: number[], dtype: DataType, values: Values): TensorInfo;
  /** wasm */
  makeOutput?(shape: number[], dtype: DataType, memoryOffset?: number, values?: Values): TensorInfo;
}

const OP = 'UnsortedSegmentSum';

/** Host implementation shared by the backends: returns the flat [numSegments, inner] sums. */
export function segmentSumHost(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  inner: number,
  numSegments: number,
  out: Float32Array | Int32Array,
): void {
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0) continue;
    if (s >= numSegments) {
      throw new ConfigError({
        op: OP,
        arg: `segmentIds[${i}]`,
        expected: `an id < numSegments = ${numSegments}`,
        got: String(s),
      });
    }
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) out[dst + j]! += x[src + j]!;
  }
}

export function unsortedSegmentSumConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const segmentIds = inputs.segmentIds as TensorInfo;
    const numSegments = Number(attrs?.numSegments);
    const r = segmentIds.shape.length;
    if (r > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
      throw new ShapeError({
        op: OP,
        arg: 'segmentIds',
        expected: `a shape that is a prefix of x.shape [${x.shape.join(',')}]`,
        got: `[${segmentIds.shape.join(',')}]`,
      });
    }
    if (!Number.isInteger(numSegments) || numSegments < 0) {
      throw new ConfigError({
        op: OP,
        arg: 'numSegments',
        expected: 'a non-negative integer',
        got: String(attrs?.numSegments),
      });
    }
    const innerShape = x.shape.slice(r);
    const inner = innerShape.reduce((a, b) => a * b, 1);
    const b = backend as HostBackend;
    const xv = b.readSync(x.dataId) as Values;
    const ids = b.readSync(segmentIds.dataId) as Values;
    const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
    segmentSumHost(xv, ids, inner, numSegments, out);
    const shape = [numSegments, ...innerShape];
    const dtype: DataType = x.dtype === 'int32' ? 'int32' : 'float32';
    if (b.makeTensorInfo) return b.makeTensorInfo(shape, dtype, out);
    if (b.makeOutput) return b.makeOutput(shape, dtype, undefined, out);
    throw new Error(`${OP}: backend '${backendName}' can create no output tensor`);
  };
  return { kernelName: tf.UnsortedSegmentSum, backendName, kernelFunc };
}
