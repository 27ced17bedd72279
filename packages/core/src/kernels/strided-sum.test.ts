import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts'; // registers tfjs gradients
import { initBackend } from '../backend/select.ts';
import { Rng } from '../rng.ts';
import { isCompletedKernel } from './complete.ts';
import { sumMiddleAxis } from './strided-sum.ts';

// Float32 kernels compared with the cpu backend: |got − want| ≤ 1e-5 + 1e-4·|want|.
function expectClose(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(want[i]!);
    if (!(Math.abs(got[i]! - want[i]!) <= tol))
      throw new Error(`${label}[${i}]: got ${got[i]}, want ${want[i]} (tol ${tol})`);
  }
}

async function both(fn: () => tf.Tensor): Promise<[Float32Array, number[], Float32Array, number[]]> {
  await tf.setBackend('wasm');
  const g = tf.tidy(fn);
  const got = Float32Array.from(g.dataSync());
  const gotShape = g.shape;
  g.dispose();
  await tf.setBackend('cpu');
  const w = tf.tidy(fn);
  const want = Float32Array.from(w.dataSync());
  const wantShape = w.shape;
  w.dispose();
  await tf.setBackend('wasm');
  return [got, gotShape, want, wantShape];
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {}, env: {} });
});

describe('wasm Sum over non-innermost axes', () => {
  it('is our kernel on wasm', () => {
    expect(isCompletedKernel(tf.Sum, 'wasm')).toBe(true);
  });

  it('sumMiddleAxis by hand: x [2, 3, 2]', () => {
    const x = [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60];
    const out = new Array<number>(4).fill(NaN);
    sumMiddleAxis(x, out, 2, 3, 2);
    expect(out).toEqual([9, 12, 90, 120]);
  });

  const rng = Rng.seeded(31);
  const shape = [3, 5, 4, 6];
  const data = Float32Array.from({ length: 3 * 5 * 4 * 6 }, () => rng.normal() * 10);
  const CASES: [string, number | number[]][] = [
    ['axis 0', 0],
    ['axis 1', 1],
    ['axes [1, 2]', [1, 2]],
    ['axes [0, 1, 2]', [0, 1, 2]],
    ['negative axis -2', -2],
    ['innermost (original kernel)', 3],
    ['all axes (original kernel)', [0, 1, 2, 3]],
    ['non-contiguous [0, 2] (original kernel)', [0, 2]],
  ];
  for (const [label, axis] of CASES) {
    for (const keepDims of [false, true]) {
      it(`${label}, keepDims ${keepDims}: values and shape match cpu`, async () => {
        const [got, gotShape, want, wantShape] = await both(() => tf.sum(tf.tensor(data, shape), axis, keepDims));
        expect(gotShape).toEqual(wantShape);
        expectClose(label, got, want);
      });
    }
  }

  it('bias gradient of x·W + b (sum over rows) matches cpu; int32 sums stay exact', async () => {
    const x = Float32Array.from({ length: 64 * 8 }, () => rng.normal());
    const [got, , want] = await both(() =>
      tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.add(tf.tensor2d(x, [64, 8]), b))))(tf.zeros([8])),
    );
    expectClose('bias grad', got, want);
    const [gi] = await both(() => tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0));
    expect([...gi]).toEqual([9, 12]);
  });
});
