import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { applyRotary, rotaryInvFreq, rotaryTables, rotateHalf } from './rotary.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('rotary (rotate-half / GPT-NeoX halves)', () => {
  it('inv_freq = 1/base^(2i/hd)', () => {
    const f = rotaryInvFreq(8, 10000);
    assertAllClose('inv_freq', f, [1, 0.1, 0.01, 0.001], 1e-7, 0);
    expect(rotaryInvFreq(4, 500000)[1]).toBeCloseTo(1 / Math.sqrt(500000), 9);
    expect(() => rotaryInvFreq(5)).toThrow(/headDim.*even/);
  });

  it('rotate_half(x) = concat(−x2, x1)', () => {
    expect(Array.from(rotateHalf(tf.tensor1d([1, 2, 3, 4])).dataSync())).toEqual([-3, -4, 1, 2]);
  });

  it('rotates each pair (x_i, x_{i+hd/2}) by the angle p·inv_freq[i]', () => {
    const hd = 8;
    const L = 5;
    const inv = rotaryInvFreq(hd, 100);
    const x = Array.from({ length: 2 * L * hd }, (_, i) => Math.sin(0.37 * i + 1)); // [2, L, hd]
    const t = rotaryTables(L, inv);
    expect(t.cos.shape).toEqual([L, hd]);
    const got = applyRotary(tf.tensor3d(x, [2, L, hd]), t).dataSync();
    const want = new Array<number>(x.length);
    for (let b = 0; b < 2; b++)
      for (let p = 0; p < L; p++)
        for (let i = 0; i < hd / 2; i++) {
          const o = (b * L + p) * hd;
          const a = p * inv[i]!;
          const [x1, x2] = [x[o + i]!, x[o + i + hd / 2]!];
          want[o + i] = x1 * Math.cos(a) - x2 * Math.sin(a);
          want[o + i + hd / 2] = x2 * Math.cos(a) + x1 * Math.sin(a);
        }
    assertAllClose('rotated', got, want, 1e-5, 1e-6);
  });

  it('q·k after rotation depends only on the position difference', () => {
    const hd = 4;
    const inv = rotaryInvFreq(hd);
    const q = [0.3, -1.2, 0.8, 0.5];
    const k = [1.1, 0.4, -0.7, 0.2];
    const dotAt = (pq: number, pk: number) => {
      const tq = rotaryTables([pq], inv);
      const tk = rotaryTables([pk], inv);
      const a = Array.from(applyRotary(tf.tensor2d(q, [1, hd]), tq).dataSync());
      const b = applyRotary(tf.tensor2d(k, [1, hd]), tk).dataSync();
      return a.reduce((s, v, i) => s + v * b[i]!, 0);
    };
    expect(dotAt(7, 3)).toBeCloseTo(dotAt(4, 0), 5);
    expect(dotAt(7, 3)).not.toBeCloseTo(dotAt(3, 0), 3);
  });

  it('tables from explicit positions and from a stored inv_freq tensor agree', () => {
    const inv = rotaryInvFreq(6);
    const a = rotaryTables([2, 3], inv);
    const b = rotaryTables(4, tf.tensor1d(inv));
    assertAllClose('cos', a.cos.dataSync(), b.cos.dataSync().slice(12), 0, 0);
    expect(() => applyRotary(tf.zeros([3, 6]), a)).toThrow(/applyRotary: x/);
  });
});
