import { describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { backendKernel, swapLastTwo } from './kernel-helpers.ts';

describe('kernel helpers', () => {
  it('swapLastTwo permutes the last two axes only', () => {
    expect(swapLastTwo(2)).toEqual([1, 0]);
    expect(swapLastTwo(3)).toEqual([0, 2, 1]);
  });
  it('backendKernel names the kernel and backend it could not find', () => {
    const message = /no Transpose kernel on backend 'no-such-backend'/;
    expect(() => backendKernel(tf.Transpose, 'no-such-backend')).toThrow(message);
  });
});
