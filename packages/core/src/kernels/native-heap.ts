// The wasm heap as the Float32Array the @dlm/native addon works on. The view is made from the module's
// WebAssembly.Memory itself (its current buffer: growing the memory replaces it, and with the threaded build's
// shared memory, emscripten's own HEAPF32 is only refreshed lazily), and reused while the buffer is unchanged.
import * as tf from '@tensorflow/tfjs-core';
import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { activeNative } from '../backend/native.ts';

/** The parts of BackendWasm (dist/backend_wasm.d.ts) the native kernels use. */
export interface NativeHeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** Byte offset of a tensor's data in the heap. */
  getMemoryOffset(dataId: DataId): number;
  wasm: { HEAPF32: Float32Array; wasmMemory?: { buffer: ArrayBufferLike } };
}

let cached: { buffer: ArrayBufferLike; view: Float32Array } | undefined;

/** A Float32Array over the whole current wasm memory of `backend`. */
export function nativeHeap(backend: NativeHeapBackend): Float32Array {
  const buffer = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPF32.buffer;
  if (cached?.buffer === buffer) return cached.view;
  const view = new Float32Array(buffer);
  cached = { buffer, view };
  return view;
}

/** Element offset of a float32 tensor in the heap view. */
export function heapOffset(backend: NativeHeapBackend, t: TensorInfo): number {
  return backend.getMemoryOffset(t.dataId) / 4;
}

/**
 * True when an op of the nn functions should run its fused native kernel (native-gelu-tanh.ts, native-layer-norm.ts,
 * native-softmax-cross-entropy.ts) for float32 `x`: the native path is on and wasm is the current backend.
 * Otherwise they compose tfjs ops as before.
 */
export function nativeFusedOn(x: { dtype: DataType }): boolean {
  return activeNative() !== undefined && x.dtype === 'float32' && tf.getBackend() === 'wasm';
}

/** Float32 view of a tensor's data on the heap. */
export function heapF32(backend: NativeHeapBackend, t: TensorInfo): Float32Array {
  const off = heapOffset(backend, t);
  return nativeHeap(backend).subarray(off, off + t.shape.reduce((a, b) => a * b, 1));
}

/** Six values for the addon's rank ≤ 6 arguments: `v` padded with zeros. */
export function padTo6(v: readonly number[]): number[] {
  return [...v, 0, 0, 0, 0, 0, 0].slice(0, 6);
}

/** [rows, d] of a tensor normalised or activated per row of its last axis. */
export function rowsOf(x: TensorInfo): readonly [number, number] {
  const d = x.shape[x.shape.length - 1]!;
  return [x.shape.reduce((p, q) => p * q, 1) / d, d];
}

/**
 * Registers the gradient of an element-wise or per-row kernel of one input x: dx = gradKernel(dy, x) with the
 * forward's attrs (GELU-tanh, LayerNorm, RMSNorm).
 */
export function registerInputGradient(kernelName: string, gradKernelName: string): void {
  tf.registerGradient({
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () =>
        tf
          .engine()
          .runKernel(gradKernelName, { dy: dy as tf.Tensor, x: saved[0]! }, attrs as tf.NamedAttrMap) as tf.Tensor,
    }),
  });
}

/** Whether the addon's strided copies (transpose, slice, split) take x: 4-byte elements, rank 1 to 6. */
export function stridedCopyable(x: TensorInfo): boolean {
  return (x.dtype === 'float32' || x.dtype === 'int32') && x.shape.length >= 1 && x.shape.length <= 6;
}
