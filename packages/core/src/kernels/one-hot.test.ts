import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { initBackend, shutdownBackend } from '../backend/select.ts';
import { isCompletedKernel } from './complete.ts';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {} });
});
afterAll(async () => {
  await shutdownBackend();
});

describe('OneHot on wasm', () => {
  it('float32 one-hot holds 1 and 0, not integer bit patterns', () => {
    expect(isCompletedKernel('OneHot', 'wasm')).toBe(true);
    const y = tf.oneHot(tf.tensor1d([2, 0, 1], 'int32'), 3, 1, 0, 'float32');
    expect(y.dtype).toBe('float32');
    expect([...y.dataSync()]).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    const z = tf.oneHot(tf.tensor1d([1], 'int32'), 2, 5, -1, 'float32');
    expect([...z.dataSync()]).toEqual([-1, 5]);
    const i = tf.oneHot(tf.tensor1d([1], 'int32'), 2);
    expect(i.dtype).toBe('int32');
    expect([...i.dataSync()]).toEqual([0, 1]);
  });
});
