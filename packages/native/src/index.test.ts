import { describe, expect, it } from 'vitest';
import { BUILD_STATUS_FILE, loadNative, type NativeAddon } from './index.ts';
import { existsSync, readFileSync } from 'node:fs';

// The addon directly, on plain Float32Arrays (a heap of its own): products against a JS triple loop, and the range
// checks that keep every call inside the view. The kernels on the tfjs wasm heap are tested in @dlm/core.
const load = loadNative();
function addon(): NativeAddon {
  if (!load.ok) throw new Error(`@dlm/native did not build or load: ${load.reason}`);
  return load.addon;
}

/** Deterministic values in [−1, 1). */
function fill(h: Float32Array, from: number, n: number, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    h[from + i] = s / 2 ** 31 - 1;
  }
}

describe('@dlm/native build', () => {
  it('npm ci built it and recorded the outcome', () => {
    expect(existsSync(BUILD_STATUS_FILE)).toBe(true);
    const status = JSON.parse(readFileSync(BUILD_STATUS_FILE, 'utf8')) as { built: boolean; blas?: string };
    expect(status.built).toBe(true);
    expect(load.ok ? load.blas : load.reason).toBe(status.blas);
  });
});

describe('gemm', () => {
  // batch 3 of op(A) [m, k]·op(B) [k, n] with every transpose pair, B shared (stride 0) or not.
  for (const [ta, tb] of [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ] as const) {
    for (const shareB of [false, true]) {
      it(`transA=${ta} transB=${tb}${shareB ? ', b shared by the batch' : ''}`, () => {
        const [batch, m, n, k] = [3, 5, 4, 7];
        const aOff = 3; // not at 0: offsets are honoured
        const bOff = aOff + batch * m * k;
        const cOff = bOff + batch * k * n;
        const h = new Float32Array(cOff + batch * m * n + 2);
        fill(h, 0, cOff, 42);
        const bStride = shareB ? 0 : k * n;
        addon().gemm(h, batch, m, n, k, ta, tb, aOff, m * k, bOff, bStride, cOff, m * n, -1, 0, 0, 0);
        for (let p = 0; p < batch; p++) {
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let want = 0;
              for (let q = 0; q < k; q++) {
                const a = h[aOff + p * m * k + (ta ? q * m + i : i * k + q)]!;
                const b = h[bOff + p * bStride + (tb ? j * k + q : q * n + j)]!;
                want += a * b;
              }
              expect(h[cOff + p * m * n + i * n + j]).toBeCloseTo(want, 5);
            }
          }
        }
        expect(h[cOff + batch * m * n]).toBe(0); // nothing written past C
      });
    }
  }

  it('adds a per-column bias and applies relu', () => {
    // [1, 2] · [[1, -1], [1, -1]] = [3, -3]; + bias [1, 1] → [4, -2]; relu → [4, 0]
    const h = Float32Array.from([1, 2, 1, -1, 1, -1, 1, 1, 9, 9]);
    addon().gemm(h, 1, 1, 2, 2, 0, 0, 0, 0, 2, 0, 8, 2, 6, 2, 1, 0);
    expect([...h.slice(8)]).toEqual([4, 0]);
  });

  it('refuses operands outside the view (RangeError) and wrong arguments (TypeError)', () => {
    const h = new Float32Array(16);
    expect(() => addon().gemm(h, 1, 4, 4, 4, 0, 0, 0, 0, 0, 0, 1, 16, -1, 0, 0, 0)).toThrow(RangeError);
    expect(() => addon().gemm(h, 2, 2, 2, 2, 0, 0, 0, 4, 0, 4, 9, 4, -1, 0, 0, 0)).toThrow(/outside the heap/);
    expect(() => addon().gemm(h, 1, 2, 2, 2, 0, 0, 0, 0, 4, 0, 8, 4, 15, 2, 0, 0)).toThrow(/bias/);
    expect(() => addon().gemm(h, 1, 2, 2, 2, 0, 0, 0.5, 0, 4, 0, 8, 4, -1, 0, 0, 0)).toThrow(TypeError);
    expect(() => (addon().gemm as (...a: unknown[]) => void)(h, 1)).toThrow(/expected 17 arguments/);
    expect(() => addon().gemm(new Float64Array(16) as never, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, -1, 0, 0, 0)).toThrow(
      /Float32Array/,
    );
    expect(() => addon().sumMiddle(h, 0, 0, 2, 3, 3)).toThrow(RangeError);
    expect(() => (addon().layerNorm as (...a: unknown[]) => void)(h, 0, 0, 4, 4)).toThrow(/expected 6 arguments/);
  });
});

describe('sumMiddle, layerNorm, softmaxCrossEntropy, gather', () => {
  it('gathers rows, and refuses an index outside [0, n) before writing anything', () => {
    // x [3, 2] at 0, idx [2] at 6, y [2, 2] at 8
    const h = new Float32Array(12);
    h.set([1, 2, 3, 4, 5, 6]);
    new Int32Array(h.buffer).set([2, 0], 6);
    addon().gather(h, 0, 6, 8, 1, 3, 2, 2);
    expect([...h.slice(8)]).toEqual([5, 6, 1, 2]);
    new Int32Array(h.buffer).set([1, 3], 6);
    h.fill(0, 8);
    expect(() => addon().gather(h, 0, 6, 8, 1, 3, 2, 2)).toThrow(/index 3 is outside \[0, 3\)/);
    expect([...h.slice(8)]).toEqual([0, 0, 0, 0]);
  });

  it('sums the middle axis', () => {
    // x [2, 3, 2] → y [2, 2]
    const h = Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60, 0, 0, 0, 0]);
    addon().sumMiddle(h, 0, 12, 2, 3, 2);
    expect([...h.slice(12)]).toEqual([9, 12, 90, 120]);
  });

  it('normalises a row: (x − mean)/√(var + eps)', () => {
    const h = Float32Array.from([1, 2, 3, 4, 0, 0, 0, 0]);
    addon().layerNorm(h, 0, 4, 1, 4, 0);
    const sd = Math.sqrt(1.25);
    [-1.5, -0.5, 0.5, 1.5].forEach((c, i) => expect(h[4 + i]).toBeCloseTo(c / sd, 6));
  });

  it('cross-entropy of a row: logΣexp(z) − z[t], NaN for a target outside [0, V)', () => {
    const h = new Float32Array(10);
    h.set([0, Math.log(3), 100, 100]); // two rows of V = 2
    new Int32Array(h.buffer).set([1, 5], 4); // targets at element 4
    addon().softmaxCrossEntropy(h, 0, 4, 6, 2, 2);
    expect(h[6]).toBeCloseTo(Math.log(4) - Math.log(3), 6);
    expect(h[7]).toBeNaN();
  });
});

describe('pad, softmax, segmentSum, binary', () => {
  it('pads with a value', () => {
    // x [2, 2] at 0 → y [3, 4] at 4: one row after, one column before and after, filled with 7
    const h = new Float32Array(16);
    h.set([1, 2, 3, 4]);
    addon().pad(h, 0, 4, 2, 2, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 7);
    expect([...h.slice(4)]).toEqual([7, 1, 2, 7, 7, 3, 4, 7, 7, 7, 7, 7]);
  });

  it('softmax per row', () => {
    const h = Float32Array.from([0, Math.log(3), 5, 5, 0, 0, 0, 0]);
    addon().softmax(h, 0, 4, 2, 2);
    [0.25, 0.75, 0.5, 0.5].forEach((p, i) => expect(h[4 + i]).toBeCloseTo(p, 6));
  });

  it('segment sums, negative ids dropped; an id ≥ numSegments refused before writing', () => {
    // x [4, 2] at 0, ids [4] at 8, y [3, 2] at 12
    const h = new Float32Array(18).fill(9, 12);
    h.set([1, 2, 3, 4, 5, 6, 7, 8]);
    new Int32Array(h.buffer).set([2, -1, 2, 0], 8);
    addon().segmentSum(h, 0, 8, 12, 4, 2, 3);
    expect([...h.slice(12)]).toEqual([7, 8, 0, 0, 6, 8]);
    h.fill(9, 12);
    new Int32Array(h.buffer).set([2, 3], 8);
    expect(() => addon().segmentSum(h, 0, 8, 12, 4, 2, 3)).toThrow(/segment id 3 at 1 is not < numSegments 3/);
    expect([...h.slice(12)]).toEqual([9, 9, 9, 9, 9, 9]);
  });

  it('binary ops with broadcast strides; a bad op or a stride past the view refused', () => {
    // a [2, 3] at 0, b [3] at 6 (stride 0 along rows), y [2, 3] at 9
    const h = new Float32Array(15);
    h.set([1, 2, 3, 4, 5, 6, 10, 20, 30]);
    const dims = [2, 3, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    const want = {
      0: [11, 22, 33, 14, 25, 36],
      1: [-9, -18, -27, -6, -15, -24],
      2: [10, 40, 90, 40, 100, 180],
      3: [0.1, 0.1, 0.1, 0.4, 0.25, 0.2],
    };
    for (const [op, w] of Object.entries(want)) {
      addon().binary(h, Number(op), 0, 6, 9, 2, ...dims);
      w.forEach((x, i) => expect(h[9 + i]).toBeCloseTo(x, 6));
    }
    expect(() => addon().binary(h, 4, 0, 6, 9, 2, ...dims)).toThrow(/op must be/);
    expect(() => addon().binary(h, 0, 0, 13, 9, 2, ...dims)).toThrow(/outside the heap view/);
  });
});
