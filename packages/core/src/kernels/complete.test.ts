import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.ts';
import { initBackend } from '../backend/select.ts';
import { COMPLETED_KERNELS, completeKernels, isCompletedKernel } from './complete.ts';
import { GELU_TANH, GELU_TANH_GRAD } from './native-gelu-tanh.ts';
import { LAYER_NORM, LAYER_NORM_GRAD } from './native-layer-norm.ts';
import { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from './native-softmax-cross-entropy.ts';
import { ADAMW } from './native-adamw.ts';
import { RMS_NORM, RMS_NORM_GRAD } from './native-rms-norm.ts';
import { ROTARY, ROTARY_GRAD } from './native-rotary.ts';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1, log: () => {}, env: {} });
});

describe('kernel completion table', () => {
  it('lists, per backend, exactly the kernels that end up ours', () => {
    expect(COMPLETED_KERNELS.cpu).toEqual([tf.UnsortedSegmentSum]);
    const wasm = [
      ...[tf.UnsortedSegmentSum, tf.BatchMatMul, tf._FusedMatMul, tf.OneHot, tf.Identity, tf.Cast, tf.Sum],
      tf.GatherV2,
      tf.Transpose,
      tf.Slice,
      tf.SplitV,
      tf.PadV2,
      ...[tf.Add, tf.Sub, tf.Multiply, tf.RealDiv, tf.Softmax],
      ...[GELU_TANH, GELU_TANH_GRAD, LAYER_NORM, LAYER_NORM_GRAD, RMS_NORM, RMS_NORM_GRAD, ROTARY, ROTARY_GRAD],
      ...[SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD],
      ADAMW,
    ];
    expect(COMPLETED_KERNELS.wasm).toEqual(wasm);
    for (const [backend, kernels] of Object.entries(COMPLETED_KERNELS)) {
      for (const k of kernels) expect(isCompletedKernel(k, backend), `${k} on ${backend}`).toBe(true);
    }
    expect(isCompletedKernel(tf.Maximum, 'wasm')).toBe(false);
    expect(isCompletedKernel(tf.BatchMatMul, 'cpu')).toBe(false);
  });
  it('is idempotent: a second call registers nothing new', () => {
    const before = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
    completeKernels('wasm');
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc).toBe(before);
  });
});
