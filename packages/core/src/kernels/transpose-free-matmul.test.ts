import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts'; // registers tfjs gradients
import { initBackend } from '../backend/select.ts';
import { Rng } from '../rng.ts';
import { isCompletedKernel } from './complete.ts';
import { swapLastTwo } from './kernel-helpers.ts';
import { wasmAndCpu } from '../testing/wasm-vs-cpu.ts';

// Float32 kernels compared with the cpu backend: |got − want| ≤ 1e-5 + 1e-4·|want|.
function expectClose(label: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(want[i]!);
    if (!(Math.abs(got[i]! - want[i]!) <= tol))
      throw new Error(`${label}[${i}]: got ${got[i]}, want ${want[i]} (tol ${tol})`);
  }
}

function normal(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const stored = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!] : s);

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {}, env: {} });
});

// [logical A shape [..., m, k], logical B shape [..., k, n]]
const CASES: [string, number[], number[]][] = [
  ['2D', [5, 7], [7, 3]],
  ['batched', [3, 5, 7], [3, 7, 4]],
  ['broadcast 4D×3D', [2, 1, 5, 7], [3, 7, 4]],
  ['broadcast 2D×3D', [5, 7], [2, 7, 4]],
  ['broadcast 3D×2D', [3, 5, 7], [7, 4]],
  ['larger', [64, 48], [48, 40]],
];
const COMBOS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('wasm BatchMatMul with transposes (via Transpose + plain matmul)', () => {
  it('is our kernel on wasm', () => {
    expect(isCompletedKernel(tf.BatchMatMul, 'wasm')).toBe(true);
    expect(isCompletedKernel(tf._FusedMatMul, 'wasm')).toBe(true);
    expect(swapLastTwo(4)).toEqual([0, 1, 3, 2]);
  });

  for (const [label, sa, sb] of CASES) {
    it(`${label}: all four transpose combinations match cpu`, async () => {
      const rng = Rng.seeded(11);
      const a = normal(rng, size(sa));
      const b = normal(rng, size(sb));
      for (const [tA, tB] of COMBOS) {
        const [got, want] = await wasmAndCpu(
          () =>
            tf.matMul(tf.tensor(a, stored(sa, tA)), tf.tensor(b, stored(sb, tB)), tA, tB).dataSync() as Float32Array,
        );
        expectClose(`${label} tA=${tA} tB=${tB}`, got, want);
      }
    });
  }

  it('gradients of matmul (which transpose) match cpu', async () => {
    const rng = Rng.seeded(3);
    const [a, b, w] = [normal(rng, 2 * 6 * 5), normal(rng, 2 * 5 * 4), normal(rng, 2 * 6 * 4)];
    for (const [tA, tB] of COMBOS) {
      const grads = () => {
        const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), tf.tensor(w, [2, 6, 4])));
        const [ga, gb] = tf.grads(f)([tf.tensor(a, stored([2, 6, 5], tA)), tf.tensor(b, stored([2, 5, 4], tB))]);
        return Float32Array.from([...ga!.dataSync(), ...gb!.dataSync()]);
      };
      const [got, want] = await wasmAndCpu(grads);
      expectClose(`grads tA=${tA} tB=${tB}`, got, want);
    }
  });

  it('fused matmul with bias and every activation, shared or per-batch weights, all transposes, matches cpu', async () => {
    // wasm's own fused kernel gets the bias wrong for batch > 1; fused-matmul.ts works around it.
    const rng = Rng.seeded(5);
    const [a, bias, alpha] = [normal(rng, 2 * 6 * 5), normal(rng, 4), normal(rng, 4)];
    for (const bBatch of [1, 2]) {
      const b = normal(rng, bBatch * 5 * 4);
      for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
        for (const [tA, tB] of COMBOS) {
          const [got, want] = await wasmAndCpu(
            () =>
              tf.fused
                .matMul({
                  a: tf.tensor3d(a, stored([2, 6, 5], tA) as [number, number, number]),
                  b: tf.tensor3d(b, stored([bBatch, 5, 4], tB) as [number, number, number]),
                  transposeA: tA,
                  transposeB: tB,
                  bias: tf.tensor1d(bias),
                  activation,
                  preluActivationWeights: activation === 'prelu' ? tf.tensor1d(alpha) : undefined,
                  leakyreluAlpha: 0.1,
                })
                .dataSync() as Float32Array,
          );
          expectClose(`fused bBatch=${bBatch} ${activation} tA=${tA} tB=${tB}`, got, want);
        }
      }
    }
  });

  it('fused matmul frees its temporaries', async () => {
    await tf.setBackend('wasm');
    const [a, b2, b1, bias] = [
      tf.randomNormal([2, 6, 5]),
      tf.randomNormal([2, 4, 5]),
      tf.randomNormal([1, 4, 5]),
      tf.randomNormal([4]),
    ];
    const backend = tf.engine().backend;
    const ids = backend.numDataIds();
    for (const b of [b1, b2])
      tf.tidy(() => tf.fused.matMul({ a, b, transposeB: true, bias, activation: 'relu' }).dataSync());
    expect(backend.numDataIds()).toBe(ids);
    tf.dispose([a, b1, b2, bias]);
  });

  it('frees its transposed temporaries (no growth in wasm data ids or tensors)', async () => {
    await tf.setBackend('wasm');
    const a = tf.randomNormal([3, 8, 6]);
    const b = tf.randomNormal([3, 5, 8]);
    const backend = tf.engine().backend;
    const ids = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    tf.tidy(() => tf.matMul(a, b, true, true).dataSync());
    expect(backend.numDataIds()).toBe(ids);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([a, b]);
  });
});

describe('wasm Aᵀ·B with a wide B computed as (Bᵀ·A)ᵀ', () => {
  // [K, M] and [K, N] with N > M take that route; N ≤ M the plain one (both must match cpu).
  for (const [k, m, n] of [
    [33, 5, 40],
    [64, 16, 64 * 4],
    [20, 12, 12],
    [7, 9, 3],
  ] as const) {
    it(`K=${k} M=${m} N=${n}: matches cpu, frees its temporaries`, async () => {
      const rng = Rng.seeded(k + m + n);
      const a = normal(rng, k * m);
      const b = normal(rng, k * n);
      const [got, want] = await wasmAndCpu(
        () => tf.matMul(tf.tensor2d(a, [k, m]), tf.tensor2d(b, [k, n]), true, false).dataSync() as Float32Array,
      );
      expectClose(`TN ${k}x${m}x${n}`, got, want);
      const ta = tf.tensor2d(a, [k, m]);
      const tb = tf.tensor2d(b, [k, n]);
      const ids = tf.engine().backend.numDataIds();
      const out = tf.matMul(ta, tb, true, false);
      expect(out.shape).toEqual([m, n]);
      expect(tf.engine().backend.numDataIds()).toBe(ids + 1);
      tf.dispose([ta, tb, out]);
    });
  }

  it("a linear layer's weight gradient (x [N, in], dy [N, out], out > in) matches cpu", async () => {
    const rng = Rng.seeded(41);
    const [x, w] = [normal(rng, 24 * 6), normal(rng, 6 * 20)];
    const grad = () =>
      tf
        .grad((wt: tf.Tensor) => tf.sum(tf.square(tf.matMul(tf.tensor2d(x, [24, 6]), wt))))(tf.tensor2d(w, [6, 20]))
        .dataSync() as Float32Array;
    const [got, want] = await wasmAndCpu(grad);
    expectClose('dW', got, want);
  });
});
