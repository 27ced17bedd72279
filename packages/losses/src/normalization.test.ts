import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, tf } from '@dlm/core';
import { normalizationDivisors, normalizeLoss, type LossNormalization } from './normalization.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('loss normalisation (dllm MDLMTrainer loss_norm_type)', () => {
  // Row 0 scores 3 tokens with total loss 6; row 1 scores 1 token with loss 4.
  const perToken = [
    [1, 2, 3, 0],
    [4, 0, 0, 0],
  ];
  const maskable = [1, 1, 1, 0, 1, 0, 0, 0];
  const value = (n: LossNormalization, m?: number[]) =>
    tf.tidy(() => normalizeLoss(tf.tensor2d(perToken), n, m).dataSync()[0]!);

  it("'token' divides by the number of scored tokens in the batch", () => {
    expect(value('token', maskable)).toBeCloseTo(10 / 4, 6);
    expect(value('token')).toBeCloseTo(10 / 8, 6); // LLaDA pre-training: b·l
  });
  it("'sequence' averages per-sequence means", () => {
    expect(value('sequence', maskable)).toBeCloseTo((6 / 3 + 4 / 1) / 2, 6);
  });
  it("'batch' averages per-sequence sums", () => {
    expect(value('batch', maskable)).toBeCloseTo(10 / 2, 6);
  });
  it('clamps an empty row count to 1 and rejects unknown rules', () => {
    expect(Array.from(normalizationDivisors('sequence', 2, 2, [0, 0, 1, 1]))).toEqual([2, 4]);
    expect(() => normalizationDivisors('mean' as LossNormalization, 1, 1)).toThrow(ConfigError);
    expect(() => normalizationDivisors('token', 2, 2, [1, 1, 1])).toThrow(/maskable/);
  });
});
