import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TensorLeakError, expectNoGrowth, expectNoLeak, tensorCountDelta } from './leak-guard.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('leak guard', () => {
  it('tensorCountDelta counts what a function leaves alive (sync and async)', async () => {
    expect(tensorCountDelta(() => tf.tidy(() => tf.add(tf.ones([2]), 1)).dispose())).toBe(0);
    const kept: tf.Tensor[] = [];
    expect(tensorCountDelta(() => kept.push(tf.ones([2]), tf.zeros([3])))).toBe(2);
    expect(await tensorCountDelta(async () => kept.push(tf.ones([1])))).toBe(1);
    tf.dispose(kept);
  });

  it('expectNoLeak passes clean code through and returns its value', () => {
    const v = expectNoLeak(() => tf.tidy(() => tf.sum(tf.ones([4])).arraySync()));
    expect(v).toBe(4);
  });

  it('expectNoLeak throws TensorLeakError naming the label and the delta', () => {
    let leaked: tf.Tensor | undefined;
    let err: unknown;
    try {
      expectNoLeak(
        () => {
          leaked = tf.ones([2]);
        },
        { label: 'layer.apply' },
      );
    } catch (e) {
      err = e;
    }
    leaked?.dispose();
    expect(err).toBeInstanceOf(TensorLeakError);
    expect((err as TensorLeakError).delta).toBe(1);
    expect((err as Error).message).toMatch(/^leak guard: layer\.apply changed the tensor count by 1/);
  });

  it('expectNoLeak allows a stated number of returned tensors, and checks async code after it settles', async () => {
    const t = expectNoLeak(() => tf.ones([3]), { allow: 1 });
    t.dispose();
    let leaked: tf.Tensor | undefined;
    await expect(
      expectNoLeak(async () => {
        leaked = tf.ones([1]);
      }),
    ).rejects.toThrow(TensorLeakError);
    leaked?.dispose();
  });

  it('expectNoGrowth accepts warm-up allocations and catches per-step growth', async () => {
    const state: tf.Tensor[] = [];
    const counts = await expectNoGrowth((i) => {
      if (i === 0) state.push(tf.zeros([2])); // an optimizer slot created on the first step
      tf.tidy(() => {
        tf.mul(tf.ones([2]), 2);
      });
    });
    expect(counts).toHaveLength(4);
    const leaks: tf.Tensor[] = [];
    await expect(expectNoGrowth(() => leaks.push(tf.ones([1])), { label: 'train step' })).rejects.toThrow(
      /train step tensor count grew/,
    );
    tf.dispose([...state, ...leaks]);
  });
});
