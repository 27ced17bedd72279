import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { logsumexp } from '../numerics.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { crossEntropy } from './cross-entropy.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const V = 5;
const logits = Array.from({ length: 2 * 3 * V }, (_, i) => Math.sin(i * 0.9) * 4); // [2, 3, V]
const targets = [1, 4, -100, 0, 2, 3];
const nll = (n: number, t: number) => logsumexp(logits.slice(n * V, (n + 1) * V)) - logits[n * V + t]!;

describe('crossEntropy', () => {
  const lt = () => tf.tensor3d(logits, [2, 3, V]);
  const tt = () => tf.tensor2d(targets, [2, 3], 'int32');

  it('mean over counted positions; ignoreIndex −100 skipped', () => {
    const per = targets.map((t, n) => (t < 0 ? 0 : nll(n, t)));
    expect(crossEntropy(lt(), tt()).dataSync()[0]).toBeCloseTo(per.reduce((a, b) => a + b) / 5, 5);
    expect(crossEntropy(lt(), tt(), { reduction: 'sum' }).dataSync()[0]).toBeCloseTo(
      per.reduce((a, b) => a + b),
      4,
    );
    assertAllClose('none', crossEntropy(lt(), tt(), { reduction: 'none' }).dataSync(), per, 1e-5, 1e-6);
  });

  it('mask weights combine with ignoreIndex; nothing counted gives 0', () => {
    const mask = tf.tensor2d([
      [1, 0, 1],
      [0, 1, 1],
    ]);
    const want = (nll(0, 1) + nll(4, 2) + nll(5, 3)) / 3;
    expect(crossEntropy(lt(), tt(), { mask }).dataSync()[0]).toBeCloseTo(want, 5);
    expect(crossEntropy(lt(), tt(), { mask: tf.zeros([2, 3]) }).dataSync()[0]).toBe(0);
  });

  it('gradient = (softmax − onehot)·w / count', () => {
    const g = tf
      .grad((x: tf.Tensor) => crossEntropy(x, tt()))(lt())
      .dataSync();
    const want: number[] = [];
    for (let n = 0; n < 6; n++) {
      const row = logits.slice(n * V, (n + 1) * V);
      const z = logsumexp(row);
      for (let c = 0; c < V; c++)
        want.push(targets[n]! < 0 ? 0 : (Math.exp(row[c]! - z) - (c === targets[n] ? 1 : 0)) / 5);
    }
    assertAllClose('dlogits', g, want, 1e-4, 1e-6);
  });

  it('checks shapes and dtypes', () => {
    expect(() => crossEntropy(lt(), tf.zeros([2, 3]))).toThrow(/targets.*int32/);
    expect(() => crossEntropy(lt(), tf.zeros([3, 2], 'int32'))).toThrow(/targets.*expected \[2,3\]/);
    expect(() => crossEntropy(lt(), tt(), { mask: tf.ones([6]) })).toThrow(/mask/);
  });
});
