import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, initBackend, tf } from '@dlm/core';
import { AR_MASK_LOGIT, arLogProbs } from './ar-log-probs.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('arLogProbs (MDLM AR parameterization)', () => {
  const rows = [0.5, -1, 2, 0.25, 3, 1, -2, 0];
  const logits = () => tf.tensor3d(rows, [1, 2, 4]);
  const logSoftmax = (r: number[]) => {
    const m = Math.max(...r);
    const z = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
    return r.map((v) => v - z);
  };

  it('sets the MASK logit to −1000 before the log-softmax', () => {
    const got = Array.from(arLogProbs(logits(), 3).dataSync());
    const want = [...logSoftmax([0.5, -1, 2, AR_MASK_LOGIT]), ...logSoftmax([3, 1, -2, AR_MASK_LOGIT])];
    // float32 spacing near −1000 is 6e-5: a relative tolerance.
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!))));
    expect(got[3]).toBeLessThan(-990);
  });

  it('without a MASK id it is a plain log-softmax', () => {
    const got = Array.from(arLogProbs(logits()).dataSync());
    const want = [...logSoftmax(rows.slice(0, 4)), ...logSoftmax(rows.slice(4))];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  it('rejects a MASK id outside the vocabulary and a logits tensor of the wrong rank', () => {
    expect(() => arLogProbs(logits(), 4)).toThrow(/maskIndex, expected an integer in \[0, 4\)/);
    expect(() => arLogProbs(tf.tensor2d([[1, 2]]))).toThrow(ShapeError);
  });
});
