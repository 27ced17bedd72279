import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { defaultChunkRows, linearLogSoftmaxGather } from './linear-log-softmax-gather.ts';
import { linear } from './linear.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const N = 7,
  D = 3,
  V = 11;
const wave = (n: number, a: number, s: number) => Array.from({ length: n }, (_, i) => Math.sin(i * a + 0.3) * s);
const hData = wave(N * D, 0.7, 1.5);
const wData = wave(V * D, 1.3, 1.2);
const bData = wave(V, 2.1, 0.5);
const targets = [3, 0, 10, 7, 7, 1, 5];
const offset = Array.from({ length: V }, (_, j) => (j === 4 ? -1e6 : 0)); // SUBS-style mask column

// Reference: the unfused graph (linear → + offset → logSoftmax → one-hot pick), then a weighted sum so every
// row's gradient differs.
const rowWeights = [0.5, -1, 2, 0.25, 1.5, -0.75, 1];
function unfused(h: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const logp = tf.logSoftmax(tf.add(linear(h, w, b), tf.tensor1d(offset)));
  const picked = tf.sum(tf.mul(logp, tf.cast(tf.oneHot(tf.tensor1d(targets, 'int32'), V), 'float32')), 1);
  return tf.sum(tf.mul(picked, tf.tensor1d(rowWeights))) as tf.Scalar;
}
const offsetT = () => tf.tensor1d(offset);
const rowWeightsT = () => tf.tensor1d(rowWeights);
const fused =
  (chunkRows: number) =>
  (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Scalar =>
    tf.sum(
      tf.mul(linearLogSoftmaxGather(h, w, targets, { bias: b, offset: offsetT(), chunkRows }), rowWeightsT()),
    ) as tf.Scalar;

const inputs = () => [tf.tensor2d(hData, [N, D]), tf.tensor2d(wData, [V, D]), tf.tensor1d(bData)] as const;
const valueAndGrads = (f: (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Scalar) =>
  tf.tidy(() => {
    const [h, w, b] = inputs();
    const { value, grads } = tf.valueAndGrads(f)([h, w, b]);
    return { value: value.dataSync()[0]!, grads: grads.map((g) => Array.from(g.dataSync())) };
  });

describe('linearLogSoftmaxGather', () => {
  it('value and gradients (h, W, b) equal the unfused graph for any chunking (rtol 1e-4)', () => {
    const want = valueAndGrads(unfused);
    expect(Number.isFinite(want.value) && want.value !== 0).toBe(true);
    for (const rows of [1, 3, 7, 100]) {
      const got = valueAndGrads(fused(rows));
      expect(got.value).toBeCloseTo(want.value, 4);
      for (let k = 0; k < 3; k++) {
        assertAllClose(`chunkRows ${rows} grad ${k}`, got.grads[k]!, want.grads[k]!, 1e-4, 1e-6);
      }
    }
  });

  it('returns each row’s target log-probability; without a bias W and h still get gradients', () => {
    const got = tf.tidy(() => {
      const [h, w] = inputs();
      return Array.from(linearLogSoftmaxGather(h, w, targets, { chunkRows: 2 }).dataSync());
    });
    for (let n = 0; n < N; n++) {
      const row = hData.slice(n * D, n * D + D);
      const z = Array.from({ length: V }, (_, j) => row.reduce((a, x, k) => a + x * wData[j * D + k]!, 0));
      const lse = Math.log(z.reduce((a, x) => a + Math.exp(x), 0));
      expect(got[n]).toBeCloseTo(z[targets[n]!]! - lse, 5);
    }
    const g = tf.tidy(() => {
      const [h, w] = inputs();
      const f = (a: tf.Tensor, c: tf.Tensor) => tf.sum(linearLogSoftmaxGather(a, c, targets, { chunkRows: 4 }));
      return tf
        .grads(f)([h, w])
        .map((t) => t.shape);
    });
    expect(g).toEqual([
      [N, D],
      [V, D],
    ]);
  });

  it('leaks no tensors through forward and backward', () => {
    const [h, w, b] = inputs();
    const before = tf.memory().numTensors;
    const { value, grads } = tf.valueAndGrads(fused(3))([h, w, b]);
    tf.dispose([value, ...grads]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad targets and shapes by name; default chunk keeps [rows, V] at 2^23 elements', () => {
    const [h, w] = inputs();
    expect(() => linearLogSoftmaxGather(h, w, [0, 1])).toThrow(/targets/);
    expect(() =>
      linearLogSoftmaxGather(
        h,
        w,
        targets.map((t) => t + V),
      ),
    ).toThrow(/ids in \[0, 11\)/);
    expect(() => linearLogSoftmaxGather(h, tf.zeros([V, D + 1]), targets)).toThrow(/h and weight/);
    expect(defaultChunkRows(50260)).toBe(166);
    expect(defaultChunkRows(1 << 24)).toBe(1);
  });
});
