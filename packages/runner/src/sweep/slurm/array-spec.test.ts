import { describe, expect, it } from 'vitest';
import { arraySpec, expandArraySpec } from './array-spec.ts';

describe('arraySpec', () => {
  it('folds consecutive indices into ranges and adds the throttle', () => {
    expect(arraySpec([0, 1])).toBe('0-1');
    expect(arraySpec([0, 1, 2, 3], 2)).toBe('0-3%2');
    expect(arraySpec([7, 3, 5, 8, 9, 0], 1)).toBe('0,3,5,7-9%1');
    expect(arraySpec([4])).toBe('4');
  });

  it('is inverted by expandArraySpec', () => {
    for (const ids of [[0, 1, 2], [3, 5, 7, 8], [12], [0, 2, 4, 5, 6, 10]]) {
      expect(expandArraySpec(arraySpec(ids, 3))).toEqual(ids);
    }
    expect(expandArraySpec('[1-2%1]')).toEqual([1, 2]);
    expect(expandArraySpec('0-9:4')).toEqual([0, 4, 8]);
  });

  it('refuses empty, negative, duplicate indices and a bad throttle', () => {
    expect(() => arraySpec([])).toThrow('slurm arraySpec: indices, expected at least one point index');
    expect(() => arraySpec([1, -1])).toThrow('expected integers ≥ 0, got -1');
    expect(() => arraySpec([1, 2, 1])).toThrow('expected no duplicates, got 1');
    expect(() => arraySpec([1], 0)).toThrow('slurm arraySpec: throttle, expected an integer ≥ 1, got 0');
    expect(() => expandArraySpec('N/A')).toThrow('slurm expandArraySpec: spec');
  });
});
