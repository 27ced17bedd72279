// One test per named schedule (sqrt, cosine, linear, trunc_cos, trunc_lin, pw_lin), asserting
// closed forms: for the ᾱ(s)-based schedules the cumulative product telescopes.
import { describe, expect, it } from 'vitest';
import { sqrtBetas } from './sqrt.ts';
import { cosineBetas } from './cosine.ts';
import { linearBetas } from './linear.ts';
import { truncCosBetas } from './trunc-cos.ts';
import { truncLinBetas } from './trunc-lin.ts';
import { pwLinBetas } from './pw-lin.ts';
import { diffusionTables } from './tables.ts';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('sqrt', () => {
  it('ᾱ_i = ᾱ((i+1)/T)/ᾱ(0) with ᾱ(s) = 1 − sqrt(s + 1e-4); the last β is capped at 0.999', () => {
    const T = 100;
    const ab = (s: number): number => 1 - Math.sqrt(s + 1e-4);
    const tb = diffusionTables(sqrtBetas(T));
    for (const i of [0, 1, 10, 50, 98]) expect(rel(tb.alphasCumprod[i]!, ab((i + 1) / T) / ab(0))).toBeLessThan(1e-12);
    // ᾱ(1) = 1 − sqrt(1.0001) < 0, so the raw last β exceeds 1.
    expect(tb.betas[T - 1]).toBe(0.999);
    expect(tb.betas[0]).toBeCloseTo(1 - ab(1 / T) / ab(0), 15);
  });
});

describe('cosine', () => {
  it('ᾱ_i = cos²((s+0.008)/1.008·π/2)/cos²(0.008/1.008·π/2) at s = (i+1)/T', () => {
    const T = 50;
    const ab = (s: number): number => Math.cos((((s + 0.008) / 1.008) * Math.PI) / 2) ** 2;
    const tb = diffusionTables(cosineBetas(T));
    for (const i of [0, 5, 25, 45]) expect(rel(tb.alphasCumprod[i]!, ab((i + 1) / T) / ab(0))).toBeLessThan(1e-12);
    expect(tb.betas[T - 1]).toBe(0.999); // ᾱ(1) ≈ 0
  });
});

describe('linear', () => {
  it('runs from 1e-4·1000/T to 0.02·1000/T in equal steps', () => {
    const b = linearBetas(1000);
    expect(b[0]).toBeCloseTo(1e-4, 18);
    expect(b[999]).toBe(0.02);
    expect(b[500]! - b[499]!).toBeCloseTo((0.02 - 1e-4) / 999, 15);
    expect(linearBetas(100)[99]).toBeCloseTo(0.2, 15);
  });
});

describe('trunc_cos', () => {
  it('β_0 = 1 − ᾱ(0) and ᾱ_i = ᾱ(i/T) with ᾱ(s) = cos²((s+0.1)/1.1·π/2)', () => {
    const T = 40;
    const ab = (s: number): number => Math.cos((((s + 0.1) / 1.1) * Math.PI) / 2) ** 2;
    const tb = diffusionTables(truncCosBetas(T));
    expect(tb.betas[0]).toBeCloseTo(1 - ab(0), 15);
    for (const i of [0, 1, 20, 39]) expect(rel(tb.alphasCumprod[i]!, ab(i / T))).toBeLessThan(1e-12);
  });
});

describe('trunc_lin', () => {
  it('is the linear schedule plus 0.01', () => {
    const a = linearBetas(200),
      b = truncLinBetas(200);
    for (const i of [0, 7, 199]) expect(b[i]).toBeCloseTo(a[i]! + 0.01, 15);
  });
});

describe('pw_lin', () => {
  it('10 steps down to 1e-4·1000/T, then up to 0.02·1000/T', () => {
    const T = 100,
      s = 1000 / T;
    const b = pwLinBetas(T);
    expect(b.length).toBe(T);
    expect(b[0]).toBeCloseTo(s * 1e-4 + 0.01, 15);
    expect(b[9]).toBeCloseTo(s * 1e-4, 15);
    expect(b[10]).toBeCloseTo(s * 1e-4, 15); // the seam value appears twice, as in the reference
    expect(b[T - 1]).toBeCloseTo(s * 0.02, 15);
    expect(b[5]! - b[4]!).toBeCloseTo(-0.01 / 9, 15);
  });
  it('needs at least 10 timesteps', () => {
    expect(() => pwLinBetas(9)).toThrow(/pw_lin betas: num_timesteps.*at least 10/);
  });
});
