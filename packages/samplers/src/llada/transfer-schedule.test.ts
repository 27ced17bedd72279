import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { getNumTransferTokens } from './transfer-schedule.ts';

describe('getNumTransferTokens', () => {
  it('splits n masks over the steps, the remainder going to the first steps', () => {
    const mask = {
      data: Int32Array.from([...Array(10).fill(1), ...Array(2).fill(0), ...Array(7).fill(1), ...Array(5).fill(0)]),
      shape: [2, 12],
    };
    const got = getNumTransferTokens(mask, 4);
    expect(got.shape).toEqual([2, 4]);
    expect(Array.from(got.data)).toEqual([3, 3, 2, 2, 2, 2, 2, 1]);
  });
  it('gives zeros to extra steps when there are fewer masks than steps', () => {
    expect(Array.from(getNumTransferTokens({ data: Uint8Array.from([1, 0, 1]), shape: [1, 3] }, 4).data)).toEqual([
      1, 1, 0, 0,
    ]);
  });
  it('rejects non-positive steps and non-0/1 masks', () => {
    expect(() => getNumTransferTokens({ data: Uint8Array.from([1]), shape: [1, 1] }, 0)).toThrow(ConfigError);
    expect(() => getNumTransferTokens({ data: Int32Array.from([2]), shape: [1, 1] }, 1)).toThrow(/0\/1/);
  });
});
