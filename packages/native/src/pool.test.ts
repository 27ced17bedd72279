import { afterAll, describe, expect, it } from 'vitest';
import { loadNative, type NativeAddon } from './index.ts';

// The addon's thread pool (pool.h): every kernel gives the same bits on one thread and on two (each output element
// is computed by one part with the same arithmetic), on sizes large enough to be split (≥ 16 MFLOP per product call, ≥
// 131,072 elements): products split by rows, by columns and by batch, element-wise and row loops, copies.
const load = loadNative();
function addon(): NativeAddon {
  if (!load.ok) throw new Error(`@dlm/native did not build or load: ${load.reason}`);
  return load.addon;
}
afterAll(() => addon().setThreads(1));

function filled(n: number, seed: number): Float32Array {
  const h = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    h[i] = s / 2 ** 31 - 1;
  }
  return h;
}

/** run(heap) on one thread and on two, from the same heap: both results. */
function onOneAndTwo(h: Float32Array, run: (h: Float32Array) => void): [Float32Array, Float32Array] {
  const one = h.slice();
  const two = h.slice();
  addon().setThreads(1);
  run(one);
  addon().setThreads(2);
  expect(addon().getThreads()).toBe(2);
  run(two);
  return [one, two];
}

const same = (a: Float32Array, b: Float32Array) => Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer)) === 0;

describe('one thread = two threads, bit for bit', () => {
  it('gemm: one product split by rows, one by columns, a batch split by product (bias, relu)', () => {
    for (const [batch, m, n, k, ta, tb] of [
      [1, 700, 90, 200, 0, 1],
      [1, 16, 1536, 512, 1, 0],
      [12, 128, 64, 128, 0, 0],
    ] as const) {
      const aN = batch * m * k;
      const bN = batch * k * n;
      const h = filled(aN + bN + n + batch * m * n, m + n);
      const [one, two] = onOneAndTwo(h, (x) =>
        addon().gemm(x, batch, m, n, k, ta, tb, 0, m * k, aN, k * n, aN + bN + n, m * n, aN + bN, n, 1, 0),
      );
      expect(same(one, two), `${batch}×${m}×${n}×${k}`).toBe(true);
    }
  });

  it('element-wise, row and copy kernels', () => {
    const n = 1 << 18;
    const h = filled(3 * n, 5);
    const cases: [string, (x: Float32Array) => void][] = [
      ['geluTanh', (x) => addon().geluTanh(x, 0, n, n)],
      ['layerNorm', (x) => addon().layerNorm(x, 0, n, 1024, 256, 1e-5)],
      ['softmax', (x) => addon().softmax(x, 0, n, 2048, 128)],
      ['sumMiddle', (x) => addon().sumMiddle(x, 0, n, 1, 1024, 256)],
      ['transpose', (x) => addon().transpose(x, 0, n, 4, 16, 128, 4, 32, 0, 0, 0, 2, 1, 3, 0, 0)],
      [
        'binary',
        (x) => addon().binary(x, 2, 0, n, 2 * n, 2, 1024, 256, 0, 0, 0, 0, 256, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0),
      ],
    ];
    for (const [name, run] of cases) {
      const [one, two] = onOneAndTwo(h, run);
      expect(same(one, two), name).toBe(true);
      expect(same(one, h), `${name} wrote something`).toBe(false);
    }
  });
});
