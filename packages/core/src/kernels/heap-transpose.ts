// Swapping the last two axes of a wasm tensor in place on the wasm heap, with a cache-blocked
// JS loop. tfjs-backend-wasm's own Transpose kernel takes ~9 ms for 1024×1024 float32 (single
// thread); this loop takes ~3 ms, which matters once matmul itself runs on 2+ threads
// (a 1024³ matmul is ~35 ms there, and NT / TN each pay one transpose).
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The two BackendWasm methods used here (dist/backend_wasm.d.ts). */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): HeapArray;
}

export function isHeapBackend(b: unknown): b is HeapBackend {
  const x = b as Partial<HeapBackend> | null;
  return typeof x?.makeOutput === 'function' && typeof x.typedArrayFromHeap === 'function';
}

const TILE = 64;

/** dst[b, c, r] = src[b, r, c] for `batch` row-major [rows, cols] matrices. */
export function blockedTranspose(
  src: ArrayLike<number>,
  dst: { [i: number]: number },
  batch: number,
  rows: number,
  cols: number,
): void {
  const plane = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * plane;
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const r1 = Math.min(r0 + TILE, rows);
      for (let c0 = 0; c0 < cols; c0 += TILE) {
        const c1 = Math.min(c0 + TILE, cols);
        for (let r = r0; r < r1; r++) {
          const so = base + r * cols;
          for (let c = c0; c < c1; c++) dst[base + c * rows + r] = src[so + c]!;
        }
      }
    }
  }
}

/** x [..., rows, cols] → new tensor [..., cols, rows] on the same wasm backend. */
export function heapSwapLastTwo(backend: HeapBackend, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const rows = x.shape[r - 2]!;
  const cols = x.shape[r - 1]!;
  const lead = x.shape.slice(0, -2);
  const batch = lead.reduce((p, d) => p * d, 1);
  const out = backend.makeOutput([...lead, cols, rows], x.dtype);
  // Views are taken after makeOutput: allocating may grow (and so replace) the heap buffer.
  blockedTranspose(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), batch, rows, cols);
  return out;
}
