import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts'; // registers tfjs gradients
import { initBackend } from '../backend/select.ts';
import { ConfigError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { assertAllClose } from '../nn/all-close.ts';
import { NATIVE_ATOL, NATIVE_RTOL, nativeAndWasm, useCountingNative } from '../testing/native-counting.ts';
import { mergedBroadcast } from './native-binary.ts';
import { rmsNorm } from '../nn/rms-norm.ts';
import { applyRotary, rotaryInvFreq, rotaryTables } from '../nn/rotary.ts';

// The native element-wise, softmax, pad, split and segment-sum kernels, and products and loops large enough to be
// split over the addon's two threads, against the wasm kernels (nativeAndWasm; the counting addon runs two threads).
// Copies and float32 arithmetic must be equal bit for bit; softmax within float32 tolerance (its exp differs).
const RTOL = NATIVE_RTOL;
const ATOL = NATIVE_ATOL;
const counting = useCountingNative();

const rng = Rng.seeded(23);
/** Bit-for-bit equality without a deep diff of large arrays (the first differing index when not). */
function expectSame(label: string, got: Float32Array, want: Float32Array): void {
  expect(got.length, label).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  const at = g.findIndex((x, i) => x !== w[i]);
  expect(at < 0 ? 'equal' : `differs at ${at}: ${got[at]} vs ${want[at]}`, label).toBe('equal');
}

const normal = (shape: number[], scale = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()),
    shape,
  );

describe('broadcast merging', () => {
  it('drops unit axes and merges axes both inputs walk as one', () => {
    expect(mergedBroadcast([16, 128, 256], [16, 1, 256], [16, 128, 256])).toEqual({
      dims: [16, 128, 256],
      sa: [32768, 256, 1],
      sb: [256, 0, 1],
    });
    expect(mergedBroadcast([4, 5, 6], [4, 5, 6], [4, 5, 6])).toEqual({ dims: [120], sa: [1], sb: [1] });
    expect(mergedBroadcast([3, 1], [], [3, 1])).toEqual({ dims: [3], sa: [1], sb: [0] });
    expect(mergedBroadcast([1], [1, 1], [1, 1])).toEqual({ dims: [1], sa: [0], sb: [0] });
  });
});

describe('Add, Sub, Multiply, RealDiv', () => {
  const PAIRS: [number[], number[]][] = [
    [
      [7, 5],
      [7, 5],
    ],
    [
      [16, 64, 256],
      [16, 1, 256],
    ], // adaLN modulation: split over both threads
    [
      [3, 1, 4],
      [1, 5, 1],
    ],
    [
      [2, 3, 4, 5, 6, 7],
      [6, 7],
    ],
    [[33], []],
    [[], [2, 9]],
    [[0, 3], [3]],
  ];
  const OPS = [
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['div', tf.div],
  ] as const;
  for (const [sa, sb] of PAIRS) {
    it(`[${sa}] ∘ [${sb}], all four ops, bit for bit`, async () => {
      const a = normal(sa);
      const b = normal(sb);
      for (const [name, op] of OPS) {
        const [got, want] = await nativeAndWasm(counting(), sa.includes(0) ? undefined : 'binary', () => op(a, b));
        expectSame(name, got[0]!, want[0]!);
      }
      tf.dispose([a, b]);
    });
  }

  it('int32 operands stay with the wasm kernel', async () => {
    const a = tf.tensor([1, 2, 3], [3], 'int32');
    const [got, want] = await nativeAndWasm(counting(), undefined, () => tf.mul(a, a));
    expect(got[0]).toEqual(want[0]);
    a.dispose();
  });
});

describe('Softmax', () => {
  for (const shape of [
    [5, 9],
    [16, 4, 32, 128],
    [1, 1],
  ]) {
    it(`[${shape}] over the last axis`, async () => {
      const x = normal(shape, 6);
      const [got, want] = await nativeAndWasm(counting(), 'softmax', () => tf.softmax(x));
      assertAllClose('softmax', got[0]!, want[0]!, RTOL, ATOL);
      x.dispose();
    });
  }

  it('its gradient matches', async () => {
    const x = normal([6, 40], 3);
    const w = normal([6, 40]);
    const [got, want] = await nativeAndWasm(counting(), 'softmax', () =>
      tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.softmax(u), w)))(x),
    );
    assertAllClose('softmax grad', got[0]!, want[0]!, RTOL, ATOL);
    tf.dispose([x, w]);
  });
});

describe('RMSNorm and rotary embedding (fused kernels)', () => {
  it('RMSNorm with weight, forward and gradients, against the composed ops', async () => {
    for (const shape of [
      [3, 7, 33],
      [1024, 256],
    ]) {
      const x = normal(shape, 3);
      const w = normal([shape[shape.length - 1]!]);
      const f = () => rmsNorm(x, { weight: w, eps: 1e-5 });
      const [got, want] = await nativeAndWasm(counting(), 'rmsNorm', f);
      assertAllClose(`rmsNorm [${shape}]`, got[0]!, want[0]!, RTOL, ATOL);
      const g = () => tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(rmsNorm(u, { weight: v }), u)))([x, w]);
      const [gn, gw] = await nativeAndWasm(counting(), 'rmsNormGrad', g);
      gn.forEach((t, i) => assertAllClose(`rmsNorm grad ${i} [${shape}]`, t, gw[i]!, RTOL, 1e-4));
      tf.dispose([x, w]);
    }
  });

  it('rotary: forward bit for bit; gradients of x and the tables', async () => {
    const x = normal([2, 4, 48, 32]);
    const t = rotaryTables(48, rotaryInvFreq(32));
    const [got, want] = await nativeAndWasm(counting(), 'rotary', () => applyRotary(x, t));
    expectSame('rotary', got[0]!, want[0]!);
    const w = normal([2, 4, 48, 32]);
    const g = () =>
      tf.grads((u: tf.Tensor, c: tf.Tensor, s: tf.Tensor) =>
        tf.sum(tf.mul(applyRotary(u, { cos: c as tf.Tensor2D, sin: s as tf.Tensor2D }), w)),
      )([x, t.cos, t.sin]);
    const [gn, gw] = await nativeAndWasm(counting(), 'rotary', g);
    expectSame('rotary grad x', gn[0]!, gw[0]!);
    gn.slice(1).forEach((v, i) => assertAllClose(`rotary grad table ${i}`, v, gw[i + 1]!, RTOL, ATOL));
    tf.dispose([x, w, t.cos, t.sin]);
  });

  it('rotary off the native path (its JS loops) equals the composed ops, forward and gradient', async () => {
    const x = normal([3, 10, 8]);
    const w = normal([3, 10, 8]);
    const t = rotaryTables(10, rotaryInvFreq(8));
    await initBackend({ backend: 'wasm', threads: 1, native: false, log: () => {}, env: {} });
    const read = (f: () => tf.Tensor) => tf.tidy(() => Float32Array.from(f().dataSync()));
    const run = (kernel: string, v: tf.Tensor) =>
      tf.engine().runKernel(kernel, { x: v, cos: t.cos, sin: t.sin }) as tf.Tensor;
    expectSame(
      'forward',
      read(() => run('DlmRotary', x)),
      read(() => applyRotary(x, t)),
    );
    const composed = read(() => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(applyRotary(u, t), w)))(x));
    expectSame(
      'gradient',
      read(() => run('DlmRotaryGrad', w)),
      composed,
    );
    tf.dispose([x, w, t.cos, t.sin]);
  });
});

describe('PadV2 and SplitV', () => {
  it('pads with a value, rank 1 to 4, large enough to split', async () => {
    const cases: [number[], [number, number][], number][] = [
      [[5], [[2, 3]], 0],
      [
        [3, 4],
        [
          [0, 2],
          [1, 0],
        ],
        -1.5,
      ],
      [
        [2, 3, 4, 5],
        [
          [1, 0],
          [0, 2],
          [3, 1],
          [0, 0],
        ],
        2,
      ],
      [
        [768, 256],
        [
          [256, 256],
          [0, 0],
        ],
        0,
      ],
    ];
    for (const [shape, paddings, value] of cases) {
      const x = normal(shape);
      const [got, want] = await nativeAndWasm(counting(), 'pad', () => tf.pad(x, paddings, value));
      expectSame(`[${shape}]`, got[0]!, want[0]!);
      x.dispose();
    }
  });

  it('splits along any axis, by count and by sizes (one given as −1)', async () => {
    const x = normal([4, 6, 768]);
    for (const [splits, axis] of [
      [3, 2],
      [[1, 2, 3], 1],
      [[3, -1], 0],
    ] as const) {
      const [got, want] = await nativeAndWasm(counting(), 'slice', () =>
        tf.split(x, splits as number | number[], axis),
      );
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expectSame(`piece ${i}`, g, want[i]!));
    }
    x.dispose();
  });
});

describe('UnsortedSegmentSum (the embedding gradient)', () => {
  it('sums rows into segments, negative ids dropped, split over threads', async () => {
    const x = normal([2048, 256]);
    const ids = tf.tensor1d(
      Int32Array.from({ length: 2048 }, (_, i) => (i % 97 === 0 ? -1 : (i * 31) % 1025)),
      'int32',
    );
    const [got, want] = await nativeAndWasm(counting(), 'segmentSum', () => tf.unsortedSegmentSum(x, ids, 1025));
    expectSame('segment sum', got[0]!, want[0]!);
    tf.dispose([x, ids]);
  });

  it('an id ≥ numSegments is the host kernel’s ConfigError', async () => {
    await initBackend({ backend: 'wasm', threads: 1, native: true, log: () => {}, env: {} });
    const x = normal([3, 2]);
    const ids = tf.tensor1d([0, 5, 1], 'int32');
    expect(() => tf.unsortedSegmentSum(x, ids, 4)).toThrow(ConfigError);
    expect(() => tf.unsortedSegmentSum(x, ids, 4)).toThrow(/segmentIds\[1\].*numSegments = 4.*5/s);
    tf.dispose([x, ids]);
  });
});

describe('work split over two threads equals the wasm kernels', () => {
  it('matmuls: one product by rows and by columns, a batch by product, with bias and relu', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[600, 160], [160, 200], false, false],
      [[160, 600], [200, 160], true, true],
      [[16, 512], [512, 1536], false, false],
      [[64, 128, 64], [64, 64, 128], false, false],
      [[64, 128, 64], [64, 128, 64], false, true],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a = normal(sa);
      const b = normal(sb);
      const [got, want] = await nativeAndWasm(counting(), 'gemm', () => tf.matMul(a, b, ta, tb));
      assertAllClose(`[${sa}]·[${sb}]`, got[0]!, want[0]!, RTOL, 1e-4);
      tf.dispose([a, b]);
    }
    const a = normal([600, 160]);
    const w = normal([160, 200]);
    const bias = normal([200]);
    const [got, want] = await nativeAndWasm(counting(), 'gemm', () =>
      tf.fused.matMul({ a, b: w, bias, activation: 'relu' }),
    );
    assertAllClose('fused relu', got[0]!, want[0]!, RTOL, 1e-4);
    tf.dispose([a, w, bias]);
  });

  it('sums and transposes', async () => {
    const x = normal([2048, 256]);
    const [s0, w0] = await nativeAndWasm(counting(), 'sumMiddle', () => tf.sum(x, 0));
    assertAllClose('sum rows', s0[0]!, w0[0]!, RTOL, ATOL);
    const [s1, w1] = await nativeAndWasm(counting(), 'sumMiddle', () => tf.sum(x, 1));
    assertAllClose('sum columns', s1[0]!, w1[0]!, RTOL, ATOL);
    const [t, wt] = await nativeAndWasm(counting(), 'transpose', () =>
      tf.transpose(tf.reshape(x, [16, 128, 4, 64]), [0, 2, 1, 3]),
    );
    expectSame('transpose', t[0]!, wt[0]!);
    x.dispose();
  });
});
