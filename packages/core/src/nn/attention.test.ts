import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';
import { assertAllClose } from './all-close.ts';
import { attention, mergeHeads, splitHeads } from './attention.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const [B, H, L, HD] = [2, 2, 4, 3];
const gen = (seed: number) => Array.from({ length: B * H * L * HD }, (_, i) => Math.sin(seed * 1.7 + i * 0.61) * 1.5);
const [q, k, v] = [gen(1), gen(2), gen(3)];

/** float64 softmax(q kᵀ/√hd) v with allowed(b, i, j) deciding which keys a query sees. */
function host(allowed: (b: number, i: number, j: number) => boolean): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < L; i++) {
        const base = (b * H + h) * L;
        const s: number[] = [];
        for (let j = 0; j < L; j++) {
          let d = 0;
          for (let c = 0; c < HD; c++) d += q[(base + i) * HD + c]! * k[(base + j) * HD + c]!;
          s.push(allowed(b, i, j) ? d / Math.sqrt(HD) : -Infinity);
        }
        const m = Math.max(...s);
        const e = s.map((x) => Math.exp(x - m));
        const z = e.reduce((a, x) => a + x, 0);
        for (let c = 0; c < HD; c++) out.push(e.reduce((a, w, j) => a + (w / z) * v[(base + j) * HD + c]!, 0));
      }
  return out;
}

const t4 = (x: number[]) => tf.tensor4d(x, [B, H, L, HD]);

describe('attention', () => {
  it('bidirectional: softmax(Q Kᵀ/√hd) V', () => {
    assertAllClose(
      'bidirectional',
      attention(t4(q), t4(k), t4(v)).dataSync(),
      host(() => true),
      1e-5,
      1e-6,
    );
  });

  it('causal: query i sees keys j ≤ i', () => {
    assertAllClose(
      'causal',
      attention(t4(q), t4(k), t4(v), { causal: true }).dataSync(),
      host((_, i, j) => j <= i),
      1e-5,
      1e-6,
    );
  });

  it('key padding mask: padded keys get no weight (left padding, as LLaDA generate)', () => {
    const mask = tf.tensor2d([
      [0, 0, 1, 1],
      [1, 1, 1, 1],
    ]);
    const want = host((b, _i, j) => b === 1 || j >= 2);
    assertAllClose('padded', attention(t4(q), t4(k), t4(v), { keyPaddingMask: mask }).dataSync(), want, 1e-5, 1e-6);
  });

  it('causal + padding together stay finite (one combined bias, never −∞)', () => {
    const mask = tf.tensor2d(
      [
        [1, 0, 1, 1],
        [1, 1, 1, 0],
      ],
      [2, 4],
      'int32',
    );
    const got = attention(t4(q), t4(k), t4(v), { causal: true, keyPaddingMask: mask }).dataSync();
    expect(got.every(Number.isFinite)).toBe(true);
    assertAllClose(
      'causal+pad',
      got,
      host((b, i, j) => j <= i && !(b === 0 && j === 1) && !(b === 1 && j === 3)),
      1e-5,
      1e-6,
    );
  });

  it('splitHeads / mergeHeads are inverse and put head j at features [j·hd, (j+1)·hd)', () => {
    const x = tf.tensor3d(
      Array.from({ length: 2 * 3 * 6 }, (_, i) => i),
      [2, 3, 6],
    );
    const s = splitHeads(x, 2);
    expect(s.shape).toEqual([2, 2, 3, 3]);
    // batch 0, head 1, position 2 = features 3..5 of x[0, 2]
    expect(Array.from(s.dataSync().slice((0 * 2 + 1) * 9 + 2 * 3, (0 * 2 + 1) * 9 + 3 * 3))).toEqual([15, 16, 17]);
    expect(Array.from(mergeHeads(s).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(() => splitHeads(x, 4)).toThrow(/splitHeads/);
  });

  it('gradients flow to q, k and v', () => {
    const gs = tf.grads((a, b, c) => tf.sum(tf.square(attention(a, b, c, { causal: true }))))([t4(q), t4(k), t4(v)]);
    for (const g of gs) expect(Math.max(...Array.from(g.dataSync()).map(Math.abs))).toBeGreaterThan(1e-3);
    expect(() => attention(t4(q), t4(k), t4(v), { keyPaddingMask: tf.ones([2, 3]) })).toThrow(/keyPaddingMask/);
  });
});
