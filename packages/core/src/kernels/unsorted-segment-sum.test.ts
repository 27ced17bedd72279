import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts'; // registers tfjs gradients
import { initBackend } from '../backend/select.ts';
import { ConfigError, ShapeError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { isCompletedKernel } from './complete.ts';

// tf.unsortedSegmentSum is typed for 1-D ids, but the kernel (and TF) accept any prefix of x.shape.
// Independent float64 reference: out[ids[i], j] += x[i, j] (negative ids dropped).
function reference(x: ArrayLike<number>, ids: ArrayLike<number>, inner: number, numSegments: number): Float64Array {
  const out = new Float64Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0) continue;
    for (let j = 0; j < inner; j++) out[s * inner + j]! += x[i * inner + j]!;
  }
  return out;
}

// Float32 accumulation vs float64 reference: |got − want| ≤ 1e-5 + 1e-4·|want|.
function expectClose(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(want[i]!);
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) throw new Error(`${label}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

const BACKENDS = ['cpu', 'wasm'] as const;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {}, env: {} });
});

describe('UnsortedSegmentSum (direct O(N·inner) kernel)', () => {
  it('is ours on cpu and wasm', () => {
    expect(isCompletedKernel(tf.UnsortedSegmentSum, 'cpu')).toBe(true);
    expect(isCompletedKernel(tf.UnsortedSegmentSum, 'wasm')).toBe(true);
  });

  for (const backend of BACKENDS) {
    it(`${backend}: repeated ids, empty segments, 1-D ids`, async () => {
      await tf.setBackend(backend);
      const rng = Rng.seeded(1);
      const x = Float32Array.from({ length: 6 * 4 }, () => rng.normal());
      const ids = [0, 2, 2, 4, 0, 2]; // segments 1 and 3 stay empty
      const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [6, 4]), tf.tensor1d(ids, 'int32'), 5));
      expect(got.shape).toEqual([5, 4]);
      expectClose('2-D x', got.dataSync(), reference(x, ids, 4, 5));
      got.dispose();
    });

    it(`${backend}: ids shaped like a prefix of x, negative ids dropped, int32 values`, async () => {
      await tf.setBackend(backend);
      const x = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 0.5 - 3);
      const ids = [0, 1, 0, 2, -1, 1];
      const got = tf.tidy(() =>
        tf.unsortedSegmentSum(
          tf.tensor3d(x, [2, 3, 4]),
          tf.tensor2d(ids, [2, 3], 'int32') as unknown as tf.Tensor1D,
          3,
        ),
      );
      expect(got.shape).toEqual([3, 4]);
      expectClose('prefix ids', got.dataSync(), reference(x, ids, 4, 3));
      got.dispose();
      const xi = [5, 7, 11, 13];
      const gi = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor1d(xi, 'int32'), tf.tensor1d([1, 1, 0, 1], 'int32'), 2));
      expect(gi.dtype).toBe('int32');
      expect(Array.from(gi.dataSync())).toEqual([11, 25]);
      gi.dispose();
    });

    it(`${backend}: embedding-sized (V = 5000, N = 4096, D = 8) matches the reference`, async () => {
      await tf.setBackend(backend);
      const rng = Rng.seeded(2);
      const [V, N, D] = [5000, 4096, 8];
      const x = Float32Array.from({ length: N * D }, () => rng.normal());
      const ids = Int32Array.from({ length: N }, () => rng.int(0, 300)); // many repeats
      const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [N, D]), tf.tensor1d(ids, 'int32'), V).dataSync());
      expectClose('embedding', got, reference(x, ids, D, V));
    });

    it(`${backend}: gradient of gather (axis 0 and 1) is the scatter-add of the upstream gradient`, async () => {
      await tf.setBackend(backend);
      const rng = Rng.seeded(3);
      const [V, D] = [10, 3];
      const params = Float32Array.from({ length: V * D }, () => rng.normal());
      const idx = [
        [1, 4, 1, 9],
        [4, 4, 0, 1],
      ]; // [2, 4] with repeats
      const w = Float32Array.from({ length: 2 * 4 * D }, () => rng.normal()); // upstream dy [2, 4, D]
      const g0 = tf.tidy(() =>
        tf
          .grad((p: tf.Tensor) =>
            tf.sum(tf.mul(tf.gather(p, tf.tensor2d(idx, [2, 4], 'int32')), tf.tensor3d(w, [2, 4, D]))),
          )(tf.tensor2d(params, [V, D]))
          .dataSync(),
      );
      expectClose('gather axis 0 grad', g0, reference(w, idx.flat(), D, V));
      // axis 1: params [D, V], gather columns → grad[:, v] = Σ_{i: idx_i = v} dy[:, i]
      const flat = idx.flat();
      const dy = Float32Array.from({ length: D * flat.length }, () => rng.normal()); // [D, 8]
      const g1 = tf.tidy(() =>
        tf
          .grad((p: tf.Tensor) =>
            tf.sum(tf.mul(tf.gather(p, tf.tensor1d(flat, 'int32'), 1), tf.tensor2d(dy, [D, flat.length]))),
          )(tf.tensor2d(params, [D, V]))
          .dataSync(),
      );
      const want1 = new Float64Array(D * V);
      for (let r = 0; r < D; r++)
        for (let i = 0; i < flat.length; i++) want1[r * V + flat[i]!]! += dy[r * flat.length + i]!;
      expectClose('gather axis 1 grad', g1, want1);
    });

    it(`${backend}: bad ids are errors naming the argument`, async () => {
      await tf.setBackend(backend);
      const x = tf.ones([3, 2]);
      expect(() => tf.unsortedSegmentSum(x, tf.tensor1d([0, 3, 1], 'int32'), 3)).toThrow(ConfigError);
      expect(() => tf.unsortedSegmentSum(x, tf.tensor1d([0, 1], 'int32'), 3)).toThrow(ShapeError);
      x.dispose();
    });
  }
});
