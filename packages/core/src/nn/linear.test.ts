import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { ShapeError } from '../errors.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { linear } from './linear.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('linear (weight [out, in])', () => {
  // x [2, 3, 4], W [5, 4], b [5]
  const x = seq(24, (i) => Math.sin(i + 1));
  const w = seq(20, (i) => Math.cos(0.7 * i) / 2);
  const b = seq(5, (i) => 0.1 * i - 0.2);
  const host = (withBias: boolean) => {
    const y: number[] = [];
    for (let n = 0; n < 6; n++)
      for (let o = 0; o < 5; o++) {
        let s = withBias ? b[o]! : 0;
        for (let i = 0; i < 4; i++) s += x[n * 4 + i]! * w[o * 4 + i]!;
        y.push(s);
      }
    return y;
  };

  it('computes x·Wᵀ + b over leading axes, with and without bias', () => {
    const [xt, wt, bt] = [tf.tensor(x, [2, 3, 4]), tf.tensor(w, [5, 4]), tf.tensor(b, [5])];
    const y = linear(xt, wt, bt);
    expect(y.shape).toEqual([2, 3, 5]);
    assertAllClose('y', y.dataSync(), host(true), 1e-6, 1e-6);
    assertAllClose('y no bias', linear(xt, wt).dataSync(), host(false), 1e-6, 1e-6);
    tf.dispose([xt, wt, bt, y]);
  });

  it('gradients: dW = Σ rᵀx, db = Σ r, dx = r·W', () => {
    const r = seq(30, (i) => ((i * 7) % 11) / 10 - 0.5);
    const [xt, wt, bt, rt] = [
      tf.tensor(x, [2, 3, 4]),
      tf.tensor(w, [5, 4]),
      tf.tensor(b, [5]),
      tf.tensor(r, [2, 3, 5]),
    ];
    const [dx, dw, db] = tf.grads((a, ww, bb) => tf.sum(tf.mul(linear(a, ww, bb), rt)))([xt, wt, bt]);
    const wantDw = seq(20, (k) => {
      const o = Math.floor(k / 4),
        i = k % 4;
      let s = 0;
      for (let n = 0; n < 6; n++) s += r[n * 5 + o]! * x[n * 4 + i]!;
      return s;
    });
    const wantDb = seq(5, (o) => {
      let s = 0;
      for (let n = 0; n < 6; n++) s += r[n * 5 + o]!;
      return s;
    });
    const wantDx = seq(24, (k) => {
      const n = Math.floor(k / 4),
        i = k % 4;
      let s = 0;
      for (let o = 0; o < 5; o++) s += r[n * 5 + o]! * w[o * 4 + i]!;
      return s;
    });
    assertAllClose('dW', dw!.dataSync(), wantDw, 1e-5, 1e-6);
    assertAllClose('db', db!.dataSync(), wantDb, 1e-5, 1e-6);
    assertAllClose('dx', dx!.dataSync(), wantDx, 1e-5, 1e-6);
    tf.dispose([xt, wt, bt, rt, dx!, dw!, db!]);
  });

  it('rejects mismatched shapes, naming the operation', () => {
    const [xt, wt] = [tf.zeros([2, 3]), tf.zeros([4, 5])];
    expect(() => linear(xt, wt)).toThrow(ShapeError);
    expect(() => linear(xt, wt)).toThrow(/linear: x and weight/);
    expect(() => linear(tf.zeros([2, 5]), wt, tf.zeros([5]))).toThrow(/bias.*expected \[4\]/);
    tf.dispose([xt, wt]);
  });
});
