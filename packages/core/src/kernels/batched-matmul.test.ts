import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.ts'; // registers tfjs gradients
import { initBackend } from '../backend/select.ts';
import { Rng } from '../rng.ts';
import { batchedMatMulByRows } from './batched-matmul.ts';
import { isHeapBackend } from './heap-transpose.ts';
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

const normal = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.normal());
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {}, env: {} });
});

describe('wasm batched matmul through batch-1 products', () => {
  // [label, A [..., m, k], B [..., k, n]]
  const CASES: [string, number[], number[]][] = [
    ['attention-like [B, H, L, hd]·[B, H, hd, L]', [2, 3, 16, 8], [2, 3, 8, 16]],
    ['a broadcast over heads', [2, 1, 5, 7], [2, 3, 7, 4]],
    ['b broadcast over batch', [2, 3, 5, 7], [1, 3, 7, 4]],
    ['batch pairing as tfjs (4D×3D)', [2, 1, 5, 7], [3, 7, 4]],
    ['shared b (folded into rows)', [4, 6, 5], [5, 9]],
    ['shared a', [6, 5], [4, 5, 9]],
  ];

  it('calls the plain kernel only with batch 1, once per output batch (or once when b is shared)', () => {
    const backend = tf.backend();
    expect(isHeapBackend(backend)).toBe(true);
    const plainCfg = tf.getKernel(tf.BatchMatMul, 'wasm')!;
    const reshape = tf.getKernel(tf.Reshape, 'wasm')!.kernelFunc;
    const calls: number[][] = [];
    const spy: KernelFunc = (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      calls.push([size(a.shape.slice(0, -2)), size(b.shape.slice(0, -2))]);
      return plainCfg.kernelFunc(args);
    };
    const rng = Rng.seeded(5);
    for (const [sa, sb, expectCalls] of [
      [[2, 3, 4, 5], [2, 3, 5, 6], 6],
      [[4, 6, 5], [5, 9], 1],
    ] as [number[], number[], number][]) {
      calls.length = 0;
      const a = tf.tensor(normal(rng, size(sa)), sa);
      const b = tf.tensor(normal(rng, size(sb)), sb);
      const out = batchedMatMulByRows(backend as never, spy, reshape, a, b)!;
      expect(out.shape).toEqual([...sa.slice(0, -1), sb[sb.length - 1]!]);
      expect(calls.length).toBe(expectCalls);
      for (const [ba, bb] of calls) expect([ba, bb]).toEqual([1, 1]);
      backend.disposeData(out.dataId);
      tf.dispose([a, b]);
    }
  });

  it('returns undefined (leave it to the plain kernel) when the output batch is 1', () => {
    const backend = tf.backend();
    const a = tf.ones([1, 3, 4]);
    const b = tf.ones([4, 2]);
    expect(
      batchedMatMulByRows(
        backend as never,
        tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc,
        tf.getKernel(tf.Reshape, 'wasm')!.kernelFunc,
        a as never,
        b as never,
      ),
    ).toBeUndefined();
    tf.dispose([a, b]);
  });

  for (const [label, sa, sb] of CASES) {
    it(`${label}: matches cpu, also with transposed operands`, async () => {
      const rng = Rng.seeded(17);
      const a = normal(rng, size(sa));
      const b = normal(rng, size(sb));
      const [got, want] = await wasmAndCpu(
        () => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb)).dataSync() as Float32Array,
      );
      expectClose(label, got, want);
      // b stored as [..., n, k] and flagged transposed: transpose-free-matmul.ts swaps it first.
      const [gotT, wantT] = await wasmAndCpu(() => {
        const bStored = tf.transpose(tf.tensor(b, sb), [...Array(sb.length - 2).keys(), sb.length - 1, sb.length - 2]);
        return tf.matMul(tf.tensor(a, sa), bStored, false, true).dataSync() as Float32Array;
      });
      expectClose(`${label} (b transposed)`, gotT, wantT);
    });
  }

  it('attention-shaped gradients (q·kᵀ then p·v) match cpu', async () => {
    const rng = Rng.seeded(23);
    const [q, k, v] = [normal(rng, 2 * 2 * 12 * 8), normal(rng, 2 * 2 * 12 * 8), normal(rng, 2 * 2 * 12 * 8)];
    const w = normal(rng, 2 * 2 * 12 * 8);
    const grads = () => {
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
        tf.sum(tf.mul(tf.matMul(tf.softmax(tf.matMul(x, y, false, true)), z), tf.tensor(w, [2, 2, 12, 8])));
      const gs = tf.grads(f)([tf.tensor(q, [2, 2, 12, 8]), tf.tensor(k, [2, 2, 12, 8]), tf.tensor(v, [2, 2, 12, 8])]);
      return Float32Array.from(gs.flatMap((g) => [...g.dataSync()]));
    };
    const [got, want] = await wasmAndCpu(grads);
    expectClose('attention grads', got, want);
  });
});
