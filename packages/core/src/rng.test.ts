import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

describe('Rng', () => {
  it('same seed gives the same numbers; other seeds differ', () => {
    const a = Rng.seeded(7).uniforms(5);
    const b = Rng.seeded(7).uniforms(5);
    const c = Rng.seeded(8).uniforms(5);
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });

  it('split streams are deterministic, independent of split order, and unrelated', () => {
    const r1 = Rng.seeded(1);
    const m1 = r1.split('masking').uniform();
    const s1 = r1.split('sampling').uniform();
    const r2 = Rng.seeded(1);
    const s2 = r2.split('sampling').uniform();
    const m2 = r2.split('masking').uniform();
    expect(m1).toBe(m2);
    expect(s1).toBe(s2);
    expect(m1).not.toBe(s1);
    expect(r1.split('masking').path).toBe('1/masking');
  });

  it('state round-trips exactly', () => {
    const r = Rng.seeded(3);
    r.uniforms(10);
    const copy = Rng.fromState(JSON.parse(JSON.stringify(r.state())));
    expect([...copy.uniforms(4)]).toEqual([...r.uniforms(4)]);
  });

  it('uniforms have mean 1/2 and variance 1/12', () => {
    const u = Rng.seeded(11).uniforms(200_000);
    let m = 0;
    for (const x of u) m += x;
    m /= u.length;
    let v = 0;
    for (const x of u) v += (x - m) ** 2;
    v /= u.length;
    expect(Math.abs(m - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(v - 1 / 12)).toBeLessThan(0.002);
  });

  it('int is unbiased over a small range (chi-square, 5 bins)', () => {
    const r = Rng.seeded(5);
    const counts = [0, 0, 0, 0, 0];
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[r.int(0, 5)]!++;
    const chi = counts.reduce((s, c) => s + (c - n / 5) ** 2 / (n / 5), 0);
    expect(chi).toBeLessThan(18.47); // p = 0.001 at 4 dof
  });

  it('permutation is a permutation', () => {
    const p = Rng.seeded(2).permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
  });

  it('rejects a non-integer seed naming the argument', () => {
    expect(() => Rng.seeded(1.5)).toThrow(/Rng.seeded: seed.*expected a safe integer/);
  });
});
