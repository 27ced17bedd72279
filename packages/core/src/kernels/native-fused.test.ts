import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts'; // registers tfjs gradients
import { initBackend } from '../backend/select.ts';
import { Rng } from '../rng.ts';
import { assertAllClose } from '../nn/all-close.ts';
import { crossEntropy } from '../nn/cross-entropy.ts';
import { geluTanh } from '../nn/gelu-tanh.ts';
import { layerNorm } from '../nn/layer-norm.ts';
import { AdamW } from '../optim/adamw.ts';
import { ADAMW } from './native-adamw.ts';
import { NATIVE_ATOL, NATIVE_RTOL, nativeAndWasm, useCountingNative } from '../testing/native-counting.ts';
import { GELU_TANH, GELU_TANH_GRAD } from './native-gelu-tanh.ts';
import { LAYER_NORM, LAYER_NORM_GRAD } from './native-layer-norm.ts';
import { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from './native-softmax-cross-entropy.ts';

// The fused native kernels (GELU-tanh, LayerNorm, softmax cross-entropy, each with its gradient) and the native Sum
// against the tfjs ops they replace, run on the wasm kernels: float32, |got − want| ≤ 1e-5 + 1e-4·|want|. Odd sizes;
// values large enough to reach the tails of σ and exp. Each kernel's JS fallback (native off) is checked too.
const RTOL = NATIVE_RTOL;
const ATOL = NATIVE_ATOL;
const counting = useCountingNative();

const rng = Rng.seeded(11);
const normal = (shape: number[], scale = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()),
    shape,
  );

async function check(label: string, fn: string, f: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const [got, want] = await nativeAndWasm(counting(), fn, f);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => assertAllClose(`${label} #${i}`, g, want[i]!, RTOL, ATOL));
}

/** The kernel run directly with the native path off (its JS loop) against `reference` on the wasm kernels. */
async function checkFallback(label: string, f: () => tf.Tensor, reference: () => tf.Tensor): Promise<void> {
  await initBackend({ backend: 'wasm', threads: 1, native: false, log: () => {}, env: {} });
  const got = tf.tidy(() => f().dataSync().slice());
  const want = tf.tidy(() => reference().dataSync().slice());
  assertAllClose(`${label} (JS fallback)`, got, want, RTOL, ATOL);
}

describe('GELU-tanh', () => {
  it('forward and gradient match the composed ops', async () => {
    const x = normal([3, 7, 33], 4);
    await check('gelu', 'geluTanh', () => geluTanh(x));
    await check('gelu grad', 'geluTanhGrad', () => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(geluTanh(u), u)))(x));
    x.dispose();
  });

  it('the kernels off the native path compute the same', async () => {
    const x = normal([5, 9], 4);
    const dy = normal([5, 9]);
    await checkFallback(
      'gelu',
      () => tf.engine().runKernel(GELU_TANH, { x }) as tf.Tensor,
      () => geluTanh(x),
    );
    await checkFallback(
      'gelu grad',
      () => tf.engine().runKernel(GELU_TANH_GRAD, { dy, x }) as tf.Tensor,
      () => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(geluTanh(u), dy)))(x),
    );
    tf.dispose([x, dy]);
  });
});

describe('LayerNorm', () => {
  it('forward and gradient match the composed ops, with and without affine, other eps', async () => {
    const x = tf.add(normal([4, 5, 37], 3), 2);
    const w = normal([37]);
    const b = normal([37]);
    await check('ln', 'layerNorm', () => layerNorm(x));
    await check('ln affine eps', 'layerNorm', () => layerNorm(x, { weight: w, bias: b, eps: 1e-3 }));
    const loss = (u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(layerNorm(u, { weight: v }), tf.sin(u)));
    await check('ln grads', 'layerNormGrad', () => tf.grads(loss)([x, w]));
    tf.dispose([x, w, b]);
  });

  it('the kernels off the native path compute the same', async () => {
    const x = normal([6, 11], 2);
    const dy = normal([6, 11]);
    await checkFallback(
      'ln',
      () => tf.engine().runKernel(LAYER_NORM, { x }, { eps: 1e-5 }) as tf.Tensor,
      () => layerNorm(x),
    );
    await checkFallback(
      'ln grad',
      () => tf.engine().runKernel(LAYER_NORM_GRAD, { dy, x }, { eps: 1e-5 }) as tf.Tensor,
      () => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(layerNorm(u), dy)))(x),
    );
    tf.dispose([x, dy]);
  });
});

describe('softmax cross-entropy', () => {
  const targetsOf = (n: number[], v: number) =>
    tf.tensor(
      Int32Array.from({ length: n.reduce((a, b) => a * b, 1) }, () => rng.int(0, v)),
      n,
      'int32',
    );

  it('loss and logits gradient match logSoftmax·one-hot, with a mask and an ignored target', async () => {
    const logits = normal([3, 5, 67], 5);
    const targets = tf.tidy(() => {
      const t = targetsOf([3, 5], 67).arraySync() as number[][];
      t[1]![2] = -100; // ignored (ignoreIndex)
      return tf.tensor(t, [3, 5], 'int32');
    });
    const mask = tf.tensor(
      Float32Array.from({ length: 15 }, (_, i) => (i % 4 === 0 ? 0 : 1)),
      [3, 5],
    );
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      await check(`ce ${reduction}`, 'softmaxCrossEntropy', () => crossEntropy(logits, targets, { mask, reduction }));
    }
    await check('ce grad', 'softmaxCrossEntropyGrad', () =>
      tf.grad((z: tf.Tensor) => crossEntropy(z, targets, { mask }))(logits),
    );
    tf.dispose([logits, targets, mask]);
  });

  it('the kernels off the native path compute the same', async () => {
    const logits = normal([7, 13], 5);
    const targets = targetsOf([7], 13);
    const dy = normal([7]);
    await checkFallback(
      'ce',
      () => tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, targets }) as tf.Tensor,
      () => crossEntropy(logits, targets, { reduction: 'none' }),
    );
    await checkFallback(
      'ce grad',
      () => tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, { dy, logits, targets }) as tf.Tensor,
      () => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(crossEntropy(z, targets, { reduction: 'none' }), dy)))(logits),
    );
    tf.dispose([logits, targets, dy]);
  });
});

describe('Sum', () => {
  const CASES: [number[], number | number[], boolean][] = [
    [[37, 11], 0, false],
    [[37, 11], 1, false],
    [[4, 9, 13], 1, true],
    [[4, 9, 13], [0, 1], false],
    [[4, 9, 13], [1, 2], true],
    [[2, 3, 4, 5], [1, 2], false],
    [[301], 0, false],
  ];
  for (const [shape, axis, keepDims] of CASES) {
    it(`[${shape}] over ${JSON.stringify(axis)}${keepDims ? ' keepDims' : ''}`, async () => {
      const x = normal(shape);
      await check('sum', 'sumMiddle', () => tf.sum(x, axis, keepDims));
      x.dispose();
    });
  }

  it('axes that are not one contiguous block stay with the wasm kernel', async () => {
    const x = normal([3, 4, 5]);
    const [got, want] = await nativeAndWasm(counting(), undefined, () => tf.sum(x, [0, 2]));
    assertAllClose('sum [0, 2]', got[0]!, want[0]!, RTOL, ATOL);
    x.dispose();
  });
});

describe('GatherV2', () => {
  const CASES: [number[], number[], number][] = [
    [[13, 7], [2, 5], 0],
    [[4, 13, 3], [6], 1],
    [[4, 5, 6], [3, 2], 2],
  ];
  for (const [shape, ishape, axis] of CASES) {
    it(`[${shape}] at [${ishape}] indices on axis ${axis}`, async () => {
      const x = normal(shape);
      const n = shape[axis]!;
      const count = ishape.reduce((a, b) => a * b, 1);
      const idx = tf.tensor(
        Int32Array.from({ length: count }, (_, i) => (i * 7) % n),
        ishape,
        'int32',
      );
      const [got, want] = await nativeAndWasm(counting(), 'gather', () => tf.gather(x, idx, axis));
      expect(got[0]).toEqual(want[0]);
      tf.dispose([x, idx]);
    });
  }

  it('the embedding gradient (UnsortedSegmentSum) is unchanged', async () => {
    const table = normal([9, 4]);
    const idx = tf.tensor([1, 3, 1, 8], [4], 'int32');
    await check('gather grad', 'gather', () => tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, idx))))(table));
    tf.dispose([table, idx]);
  });
});

describe('AdamW', () => {
  /** Three steps of AdamW (one parameter decays, one does not) from the same start; the parameters and moments. */
  function run(): tf.Tensor[] {
    const r = Rng.seeded(5);
    const vals = (n: number) => Float32Array.from({ length: n }, () => r.normal());
    const params = new Map([
      ['w', tf.variable(tf.tensor(vals(35), [5, 7]))],
      ['b', tf.variable(tf.tensor(vals(7), [7]))],
    ]);
    const opt = new AdamW(params, { lr: 0.01, weightDecay: 0.1, noDecay: ['b'] });
    for (let step = 0; step < 3; step++) {
      const grads = new Map([...params].map(([k, p]) => [k, tf.tensor(vals(p.size), p.shape)] as const));
      opt.step(grads);
      tf.dispose([...grads.values()]);
    }
    const state = opt.exportState();
    const out: tf.Tensor[] = [...params.values()].map((p) => tf.clone(p));
    for (const t of state.tensors.values()) out.push(tf.tensor(t.data as Float32Array, [...t.shape]));
    tf.dispose([...params.values()]);
    opt.dispose();
    return out;
  }

  it('three steps with and without weight decay match the composed update', async () => {
    const [got, want] = await nativeAndWasm(counting(), 'adamw', run);
    expect(got.length).toBe(6);
    got.forEach((g, i) => assertAllClose(`adamw #${i}`, g, want[i]!, 1e-6, 1e-7));
  });

  it('the kernel off the native path computes the same', async () => {
    const [p, m, v, g] = [normal([9]), normal([9]), tf.abs(normal([9])), normal([9])];
    const attrs = { beta1: 0.9, beta2: 0.99, eps: 1e-8, bc2Sqrt: 0.3, stepSize: 0.02, decay: 0.999, decays: 1 };
    const viaKernel = () => tf.engine().runKernel(ADAMW, { p, m, v, g }, attrs as never) as tf.Tensor[];
    await initBackend({ backend: 'wasm', threads: 1, native: false, log: () => {}, env: {} });
    const got = tf.tidy(() => viaKernel().map((t) => t.dataSync().slice()));
    const want = tf.tidy(() => {
      const m1 = tf.add(tf.mul(m, 0.9), tf.mul(g, 1 - 0.9));
      const v1 = tf.add(tf.mul(v, 0.99), tf.mul(tf.square(g), 1 - 0.99));
      const denom = tf.add(tf.div(tf.sqrt(v1), 0.3), 1e-8);
      const p1 = tf.sub(tf.mul(p, 0.999), tf.mul(tf.div(m1, denom), 0.02));
      return [p1, m1, v1].map((t) => t.dataSync().slice());
    });
    got.forEach((x, i) => assertAllClose(`adamw fallback #${i}`, x, want[i]!, 1e-6, 1e-7));
    tf.dispose([p, m, v, g]);
  });
});

describe('Transpose', () => {
  const CASES: [number[], number[]][] = [
    [
      [5, 7],
      [1, 0],
    ],
    [
      [2, 9, 3, 5],
      [0, 2, 1, 3],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 0, 2],
    ],
    [
      [3, 1, 4],
      [2, 0, 1],
    ],
    [
      [2, 2, 3, 2, 3],
      [4, 3, 2, 1, 0],
    ],
  ];
  for (const [shape, perm] of CASES) {
    it(`[${shape}] by [${perm}]`, async () => {
      const x = normal(shape);
      const [got, want] = await nativeAndWasm(counting(), 'transpose', () => tf.transpose(x, perm));
      expect(got[0]).toEqual(want[0]);
      x.dispose();
    });
  }

  it('int32 data too', async () => {
    const x = tf.tensor(
      Int32Array.from({ length: 24 }, (_, i) => i * 3 - 20),
      [2, 3, 4],
      'int32',
    );
    const [got, want] = await nativeAndWasm(counting(), 'transpose', () =>
      tf.cast(tf.transpose(x, [2, 0, 1]), 'float32'),
    );
    expect(got[0]).toEqual(want[0]);
    x.dispose();
  });
});

describe('Slice', () => {
  const CASES: [number[], number[], number[]][] = [
    [
      [768, 16],
      [256, 0],
      [256, 16],
    ],
    [
      [5, 7],
      [1, 2],
      [3, -1],
    ],
    [
      [2, 9, 3, 5],
      [1, 2, 0, 1],
      [1, 4, 3, 3],
    ],
    [
      [4, 3, 2, 2, 3],
      [1, 0, 1, 0, 2],
      [2, 3, 1, 2, 1],
    ],
    [[11], [3], [0]],
  ];
  for (const [shape, begin, size] of CASES) {
    it(`[${shape}] from [${begin}] size [${size}]`, async () => {
      const x = normal(shape);
      const [got, want] = await nativeAndWasm(counting(), 'slice', () => tf.slice(x, begin, size));
      expect(got[0]).toEqual(want[0]);
      x.dispose();
    });
  }

  it('the slice gradient (a pad) is unchanged', async () => {
    const x = normal([6, 5]);
    await check('slice grad', 'slice', () =>
      tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.slice(u, [2, 1], [3, 3]))))(x),
    );
    x.dispose();
  });
});
