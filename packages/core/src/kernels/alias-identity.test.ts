import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { initBackend } from '../backend/select.ts';
import { COMPLETED_KERNELS, isCompletedKernel } from './complete.ts';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {}, env: {} });
});

const refCount = (t: tf.Tensor) => (tf.backend() as unknown as { refCount(d: object): number }).refCount(t.dataId);

describe('wasm Identity / same-dtype Cast share memory', () => {
  it('are our kernels on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(isCompletedKernel(tf.Identity, 'wasm')).toBe(true);
    expect(isCompletedKernel(tf.Cast, 'wasm')).toBe(true);
    expect(COMPLETED_KERNELS.wasm).toContain(tf.Identity);
  });

  it('clone shares the data, outlives its source and frees the memory after both are gone', () => {
    const before = tf.memory().numBytes;
    const x = tf.tensor2d([1.5, -2, 3.25, 4], [2, 2]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(refCount(x)).toBe(2);
    x.dispose();
    expect(y.isDisposed).toBe(false);
    expect([...y.dataSync()]).toEqual([1.5, -2, 3.25, 4]);
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('cast to the same dtype shares; to another dtype converts', () => {
    const x = tf.tensor1d([1.75, -2.5, 0]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    const i = tf.cast(x, 'int32');
    expect(i.dtype).toBe('int32');
    expect([...i.dataSync()]).toEqual([1, -2, 0]);
    const f = tf.cast(tf.tensor1d([7, -3], 'int32'), 'float32');
    expect(f.dtype).toBe('float32');
    expect([...f.dataSync()]).toEqual([7, -3]);
    tf.dispose([x, same, i, f]);
  });

  it('gradients through saved (cloned) tensors are unchanged: d/dx sum(x·x·w) = 2·x·w', () => {
    const x = tf.tensor1d([1, -2, 3]);
    const w = tf.tensor1d([0.5, 2, -1]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mul(v, v), w)))(x);
    expect([...g.dataSync()]).toEqual([1, -8, -6]);
    tf.dispose([x, w, g]);
  });
});
