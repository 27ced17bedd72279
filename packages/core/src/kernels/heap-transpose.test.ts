import { describe, expect, it } from 'vitest';
import { blockedTranspose, isHeapBackend } from './heap-transpose.ts';

describe('blockedTranspose', () => {
  it('swaps the last two axes of every matrix in a batch, across tile edges', () => {
    // 2 × [70, 131]: neither dimension is a multiple of the 64-wide tile.
    const [batch, rows, cols] = [2, 70, 131];
    const src = Float32Array.from({ length: batch * rows * cols }, (_, i) => i);
    const dst = new Float32Array(src.length);
    blockedTranspose(src, dst, batch, rows, cols);
    for (let b = 0; b < batch; b++)
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const want = src[b * rows * cols + r * cols + c]!;
          if (dst[b * rows * cols + c * rows + r] !== want) throw new Error(`mismatch at b=${b} r=${r} c=${c}`);
        }
    expect(dst[1]).toBe(cols); // dst[0, 0, 1] = src[0, 1, 0]
  });

  it('recognises only backends with heap access', () => {
    expect(isHeapBackend({ makeOutput() {}, typedArrayFromHeap() {} })).toBe(true);
    expect(isHeapBackend({ makeTensorInfo() {} })).toBe(false);
    expect(isHeapBackend(null)).toBe(false);
  });
});
