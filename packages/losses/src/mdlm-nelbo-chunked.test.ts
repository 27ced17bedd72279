import { beforeAll, describe, expect, it } from 'vitest';
import { assertAllClose, initBackend, linear, tf, type Nd } from '@dlm/core';
import { mdlmNelboLoss } from './mdlm-nelbo.ts';
import { mdlmNelboLossFromHidden } from './mdlm-nelbo-chunked.ts';
import { testLogits } from './testing/grad-check.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const B = 3,
  L = 4,
  D = 5,
  V = 9,
  mask = 6; // the mask is not the last column
const x0: Nd<Int32Array> = { data: Int32Array.from([0, 1, 2, 3, 8, 7, 5, 4, 3, 2, 1, 0]), shape: [B, L] };
const xt: Nd<Int32Array> = {
  data: Int32Array.from([mask, 1, mask, 3, mask, mask, 5, mask, 3, mask, 1, mask]),
  shape: [B, L],
};
const attn = [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1];
const weights = [5, 1.4, 2.5];
const hData = testLogits(B * L * D, 4);
const wData = testLogits(V * D, 5);
const bData = testLogits(V, 6);

type Run = (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => { loss: tf.Scalar; perToken: tf.Tensor2D };
const inputs = { x0, xt, attentionMask: attn };
const unchunked: Run = (h, w, b) => mdlmNelboLoss(linear(h, w, b) as tf.Tensor3D, inputs, weights, { maskIndex: mask });
const chunked =
  (chunkRows: number): Run =>
  (h, w, b) =>
    mdlmNelboLossFromHidden(h as tf.Tensor3D, { weight: w, bias: b }, inputs, weights, { maskIndex: mask, chunkRows });

function evaluate(run: Run) {
  return tf.tidy(() => {
    const args = [tf.tensor3d(hData, [B, L, D]), tf.tensor2d(wData, [V, D]), tf.tensor1d(bData)];
    const perToken = Array.from(run(args[0]!, args[1]!, args[2]!).perToken.dataSync());
    const { value, grads } = tf.valueAndGrads((h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => run(h, w, b).loss)(args);
    return { loss: value.dataSync()[0]!, perToken, grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

describe('mdlmNelboLossFromHidden (chunked, masked rows only)', () => {
  it('loss, per-token loss and gradients (hidden, W, bias) equal mdlmNelboLoss on the logits (rtol 1e-4)', () => {
    const want = evaluate(unchunked);
    expect(want.loss).toBeGreaterThan(0);
    for (const rows of [1, 2, 100]) {
      const got = evaluate(chunked(rows));
      expect(Math.abs(got.loss - want.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(want.loss));
      assertAllClose(`perToken rows ${rows}`, got.perToken, want.perToken, 1e-4, 1e-6);
      ['hidden', 'weight', 'bias'].forEach((name, k) => {
        assertAllClose(`${name} rows ${rows}`, got.grads[k]!, want.grads[k]!, 1e-4, 1e-6);
      });
    }
    // unmasked positions carry exactly zero loss; the masked one behind attention 0 too
    for (const p of [1, 3, 6, 7, 8, 10]) expect(Math.abs(want.perToken[p]!)).toBe(0);
  });

  it('no masked position: zero loss and zero gradients; no tensors leak', () => {
    const clean = { x0, xt: x0 };
    const h = tf.tensor3d(hData, [B, L, D]);
    const w = tf.tensor2d(wData, [V, D]);
    const before = tf.memory().numTensors;
    const f = (a: tf.Tensor, c: tf.Tensor) =>
      mdlmNelboLossFromHidden(a as tf.Tensor3D, { weight: c }, clean, weights, { maskIndex: mask }).loss;
    const { value, grads } = tf.valueAndGrads(f)([h, w]);
    expect(value.dataSync()[0]).toBe(0);
    expect(grads.every((g) => g.dataSync().every((x) => x === 0))).toBe(true);
    tf.dispose([value, ...grads]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a mask index outside the head and bad weights by name', () => {
    const h = tf.tensor3d(hData, [B, L, D]);
    const w = tf.tensor2d(wData, [V, D]);
    expect(() => mdlmNelboLossFromHidden(h, { weight: w }, { x0, xt }, weights, { maskIndex: V })).toThrow(/maskIndex/);
    const nanWeight = [1, NaN, 1];
    const o = { maskIndex: mask };
    expect(() => mdlmNelboLossFromHidden(h, { weight: w }, { x0, xt }, nanWeight, o)).toThrow(/weights/);
  });
});
