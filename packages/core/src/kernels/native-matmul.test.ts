import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts'; // registers tfjs gradients
import { initBackend } from '../backend/select.ts';
import { installCountingNative, type CountingNative } from '../testing/native-counting.ts';
import { Rng } from '../rng.ts';
import { assertAllClose } from '../nn/all-close.ts';
import { linear } from '../nn/linear.ts';

// Native sgemm against the wasm kernels, on the same wasm tensors: float32 products of K ≤ 70 terms of O(1)
// values, so |got − want| ≤ 1e-4 + 1e-5·|want|. Every case also counts the addon's gemm calls, so a case that
// silently fell back to the wasm kernel would fail.
const RTOL = 1e-5;
const ATOL = 1e-4;

let native: CountingNative | undefined;
const gemmCalls = () => native?.calls['gemm'] ?? 0;

beforeAll(async () => {
  native = installCountingNative();
  await initBackend({ backend: 'wasm', threads: 1, native: true, log: () => {}, env: {} });
});

afterAll(async () => {
  native?.restore();
  await initBackend({ backend: 'wasm', threads: 1, native: false, log: () => {}, env: {} });
});

const rng = Rng.seeded(7);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const normal = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: size(shape) }, () => rng.normal()),
    shape,
  );

/** f on the native path and on the wasm kernels (same input tensors); native must have run `calls` gemms. */
async function compare(
  label: string,
  f: () => tf.Tensor | tf.Tensor[],
  native = true,
  reference: () => tf.Tensor | tf.Tensor[] = f,
): Promise<void> {
  const before = gemmCalls();
  const got = tf.tidy(() => [f()].flat().map((t) => t.dataSync().slice()));
  const ran = gemmCalls() - before;
  if (native) expect(ran, `${label}: native gemm calls`).toBeGreaterThan(0);
  else expect(ran, `${label}: native gemm calls`).toBe(0);
  await initBackend({ backend: 'wasm', threads: 1, native: false, log: () => {}, env: {} });
  const want = tf.tidy(() => [reference()].flat().map((t) => t.dataSync().slice()));
  await initBackend({ backend: 'wasm', threads: 1, native: true, log: () => {}, env: {} });
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => assertAllClose(`${label} #${i}`, g, want[i]!, RTOL, ATOL));
}

const stored = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!] : s);

// [logical A [..., m, k], logical B [..., k, n]]: odd sizes, batch equal, batch 1 on either side (broadcast),
// rank 4 against rank 3, a shared 2-D right operand under a batched left one.
const SHAPES: [string, number[], number[]][] = [
  ['2D odd', [7, 13], [13, 5]],
  ['1×1', [1, 1], [1, 1]],
  ['batched', [3, 5, 7], [3, 7, 4]],
  ['a batch 1', [1, 6, 9], [4, 9, 3]],
  ['b batch 1', [4, 6, 9], [1, 9, 3]],
  ['3D × 2D (linear layer)', [3, 5, 11], [11, 4]],
  ['2D × 3D', [5, 7], [2, 7, 4]],
  ['4D × 4D', [2, 3, 5, 6], [2, 3, 6, 4]],
  ['4D × 2D', [2, 3, 5, 6], [6, 4]],
  ['trailing broadcast 4D × 3D', [2, 3, 5, 6], [3, 6, 4]],
  ['larger', [64, 70], [70, 33]],
];
const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe('native BatchMatMul matches the wasm kernel', () => {
  for (const [name, sa, sb] of SHAPES) {
    for (const [ta, tb] of TRANSPOSES) {
      it(`${name} transposeA=${ta} transposeB=${tb}`, async () => {
        const a = normal(stored(sa, ta));
        const b = normal(stored(sb, tb));
        await compare(name, () => tf.matMul(a, b, ta, tb));
        tf.dispose([a, b]);
      });
    }
  }

  it('gradients of a batched and a 2-D product (dA = dY·Bᵀ, dB = Aᵀ·dY)', async () => {
    const a = normal([3, 5, 7]);
    const b = normal([3, 7, 4]);
    const w = normal([7, 6]);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      tf.add(tf.sum(tf.square(tf.matMul(x, y))), tf.sum(tf.square(tf.matMul(tf.reshape(x, [15, 7]), z)))),
    );
    await compare('grads', () => g([a, b, w]));
    tf.dispose([a, b, w]);
  });
});

describe('native _FusedMatMul matches the wasm kernel', () => {
  const ACTS = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const;
  const BIASES: [string, number[] | undefined][] = [
    ['no bias', undefined],
    ['bias [N]', [5]],
    ['scalar bias', [1]],
  ];
  /** The same without fusing (wasm's own fused kernel reads a scalar bias as N values). */
  const unfused = (x: tf.Tensor, act: (typeof ACTS)[number]): tf.Tensor =>
    act === 'linear'
      ? x
      : act === 'relu'
        ? tf.relu(x)
        : act === 'relu6'
          ? tf.relu6(x)
          : act === 'elu'
            ? tf.elu(x)
            : act === 'sigmoid'
              ? tf.sigmoid(x)
              : tf.leakyRelu(x, 0.3);
  for (const act of ACTS) {
    for (const [bname, bshape] of BIASES) {
      it(`${act}, ${bname}, batch 3 against shared weights`, async () => {
        const a = normal([3, 4, 9]);
        const b = normal([9, 5]);
        // Values around relu6's and elu's kinks: scaled so some outputs pass 6.
        const bias = bshape ? tf.mul(normal(bshape), 3) : undefined;
        await compare(
          `${act} ${bname}`,
          () => tf.fused.matMul({ a, b, bias, activation: act, leakyreluAlpha: 0.3 }),
          true,
          () => unfused(bias ? tf.add(tf.matMul(a, b), bias) : tf.matMul(a, b), act),
        );
        tf.dispose([a, b, ...(bias ? [bias] : [])]);
      });
    }
  }

  it('transposed operands with bias and relu, batched weights', async () => {
    const a = normal([2, 9, 4]); // [B, K, M] read as Aᵀ
    const b = normal([2, 5, 9]); // [B, N, K] read as Bᵀ
    const bias = normal([5]);
    await compare('fused TT', () =>
      tf.fused.matMul({ a, b, bias, transposeA: true, transposeB: true, activation: 'relu' }),
    );
    tf.dispose([a, b, bias]);
  });

  it('gradients through bias and relu', async () => {
    const a = normal([6, 9]);
    const b = normal([9, 5]);
    const bias = normal([5]);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      tf.sum(tf.square(tf.fused.matMul({ a: x, b: y, bias: z, activation: 'relu' }))),
    );
    await compare('fused grads', () => g([a, b, bias]));
    tf.dispose([a, b, bias]);
  });

  it('prelu stays with the wasm kernel', async () => {
    const a = normal([4, 9]);
    const b = normal([9, 5]);
    const alpha = normal([5]);
    await compare('prelu', () => tf.fused.matMul({ a, b, activation: 'prelu', preluActivationWeights: alpha }), false);
    tf.dispose([a, b, alpha]);
  });
});

describe('linear() on the native path (bias inside the product)', () => {
  it('values and gradients (x, weight, bias) match the wasm matMul + add', async () => {
    const x = normal([2, 5, 9]);
    const w = normal([6, 9]);
    const b = normal([6]);
    await compare('linear', () => linear(x, w, b));
    const g = tf.grads((u: tf.Tensor, v: tf.Tensor, c: tf.Tensor) => tf.sum(tf.square(linear(u, v, c))));
    await compare('linear grads', () => g([x, w, b]));
    tf.dispose([x, w, b]);
  });
});
