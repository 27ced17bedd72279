import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { applyTopP, checkTopP } from './top-p.ts';

/** Indices kept by top-p on a row of probabilities (given as log-weights). */
function kept(probs: number[], p: number): number[] {
  const logw = Float64Array.from(probs, Math.log);
  applyTopP(logw, 0, probs.length, p);
  return [...logw.keys()].filter((i) => logw[i]! > -Infinity);
}

describe('top-p (nucleus) truncation', () => {
  it('keeps the smallest most-probable set whose mass reaches p', () => {
    const probs = [0.06, 0.4, 0.15, 0.25, 0.1, 0.04];
    expect(kept(probs, 0.3)).toEqual([1]);
    expect(kept(probs, 0.4)).toEqual([1]); // exactly reached by one token
    expect(kept(probs, 0.41)).toEqual([1, 3]);
    expect(kept(probs, 0.65)).toEqual([1, 3]); // 0.4 + 0.25 exactly
    expect(kept(probs, 0.75)).toEqual([1, 2, 3]);
    expect(kept(probs, 0.9)).toEqual([1, 2, 3, 4]);
    expect(kept(probs, 0.95)).toEqual([0, 1, 2, 3, 4]);
    expect(kept(probs, 1)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('float64 round-off does not add a token: mass 0.4 + 0.3 reaches p = 0.7', () => {
    // Through log → softmax the two masses sum to just below 0.7 · Σ; without the 1e-12 slack
    // a third token would be kept.
    expect(kept([0.4, 0.3, 0.2, 0.1], 0.7)).toEqual([0, 1]);
    expect(kept([0.3, 0.6, 0.1], 0.6)).toEqual([1]);
  });

  it('always keeps at least the top token; unnormalised rows and −∞ entries are fine', () => {
    expect(kept([5, 1, 1], 1e-12)).toEqual([0]);
    expect(kept([2, 0, 6, 2], 0.5)).toEqual([2]); // 6/10 ≥ 0.5
    expect(kept([2, 0, 6, 2], 0.7)).toEqual([0, 2, 3]); // tie at the boundary: both 2s kept
  });

  it('applies to one row of a batch only', () => {
    const logw = Float64Array.from([0.5, 0.5, 0.9, 0.05, 0.05].map(Math.log));
    applyTopP(logw, 2, 3, 0.5);
    expect([...logw.slice(0, 3)].map(Math.exp)).toEqual([0.5, 0.5, 0.9]);
    expect(logw[3]).toBe(-Infinity);
    expect(logw[4]).toBe(-Infinity);
  });

  it('checkTopP accepts (0, 1] or undefined', () => {
    expect(() => checkTopP('op', undefined)).not.toThrow();
    expect(() => checkTopP('op', 1)).not.toThrow();
    for (const p of [0, 1.5, NaN, '0.5']) expect(() => checkTopP('op', p)).toThrow(ConfigError);
  });
});
