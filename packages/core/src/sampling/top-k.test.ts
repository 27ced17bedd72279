import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { applyTopK, checkTopK } from './top-k.ts';

function kept(row: number[], k: number): number[] {
  const logw = Float64Array.from(row);
  applyTopK(logw, 0, row.length, k);
  return [...logw.keys()].filter((i) => logw[i]! > -Infinity);
}

describe('top-k truncation', () => {
  it('keeps the k largest values, ties with the k-th included, k ≥ V keeps all', () => {
    expect(kept([0.1, 3, -2, 1, 2], 2)).toEqual([1, 4]);
    expect(kept([0.1, 3, -2, 1, 2], 1)).toEqual([1]);
    expect(kept([1, 2, 2, 0], 2)).toEqual([1, 2]);
    expect(kept([1, 2, 2, 0], 1)).toEqual([1, 2]); // tie with the 1st value
    expect(kept([1, 2, 0], 3)).toEqual([0, 1, 2]);
    expect(kept([1, 2, 0], 10)).toEqual([0, 1, 2]);
    expect(kept([-Infinity, 1, -Infinity, 0], 3)).toEqual([1, 3]); // masked stay masked
  });

  it('applies to one row of a batch only', () => {
    const logw = Float64Array.from([5, 4, 1, 2, 3]);
    applyTopK(logw, 2, 3, 1);
    expect([...logw]).toEqual([5, 4, -Infinity, -Infinity, 3]);
  });

  it('checkTopK accepts integers ≥ 1 or undefined', () => {
    expect(() => checkTopK('op', undefined)).not.toThrow();
    expect(() => checkTopK('op', 7)).not.toThrow();
    for (const k of [0, -1, 2.5, NaN, '3']) expect(() => checkTopK('op', k)).toThrow(ConfigError);
  });
});
