import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@dlm/core';
import { Gpt2KvCache } from './kv-cache.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('Gpt2KvCache', () => {
  it('reports batch and length from its mask and frees every tensor on dispose', () => {
    const before = tf.memory().numTensors;
    const kv = () => tf.zeros([2, 4, 5, 8]) as tf.Tensor4D;
    const c = new Gpt2KvCache([kv(), kv()], [kv(), kv()], tf.ones([2, 5]) as tf.Tensor2D, false);
    expect([c.batch, c.length]).toEqual([2, 5]);
    expect(tf.memory().numTensors).toBe(before + 5);
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
