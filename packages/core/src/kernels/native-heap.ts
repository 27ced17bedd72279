// The wasm heap as the Float32Array the @dlm/native addon works on. The view is made from the module's
// WebAssembly.Memory itself (its current buffer: growing the memory replaces it, and with the threaded build's
// shared memory, emscripten's own HEAPF32 is only refreshed lazily), and reused while the buffer is unchanged.
import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

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
