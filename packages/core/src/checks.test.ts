import { describe, expect, it } from 'vitest';
import { assertPositiveInt, assertSize, assertTokenIds } from './checks.ts';
import { ConfigError, ShapeError } from './errors.ts';

describe('argument checks', () => {
  it('token ids out of the vocabulary name op, arg and index', () => {
    expect(() => assertTokenIds('mdlm.loss', 'x0', [0, 3, 7], 7)).toThrow(ConfigError);
    expect(() => assertTokenIds('mdlm.loss', 'x0', [0, 3, 7], 7)).toThrow(
      /mdlm\.loss: x0, expected token ids in \[0, 7\), got 7 at flat index 2/,
    );
    expect(() => assertTokenIds('op', 'ids', [1.5], 7)).toThrow(/got 1\.5/);
    expect(() => assertTokenIds('op', 'ids', [0, 6], 7)).not.toThrow();
  });
  it('sizes and positive integers', () => {
    expect(() => assertSize('op', 'logits', new Float32Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => assertSize('op', 'logits', new Float32Array(6), [2, 3])).not.toThrow();
    expect(() => assertPositiveInt('op', 'steps', 0)).toThrow(/op: steps, expected a positive integer, got 0/);
  });
});
