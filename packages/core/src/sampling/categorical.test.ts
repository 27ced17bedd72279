// Statistical tests: seeded, so each is deterministic; the bound is fixed at p = 0.001 and every
// family also has a negative control showing the test rejects the wrong distribution.
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.ts';
import { f64 } from '../nd.ts';
import { Rng } from '../rng.ts';
import { sampleCategorical, type CategoricalInput, type CategoricalOptions } from './categorical.ts';
import { chiSquareTest } from './chi-square.ts';

const N = 20000;

/** N copies of `row` as one [N, V] batch, sampled in one call; returns the counts per index. */
function counts(seed: number, kind: 'logits' | 'probs', row: number[], opts: CategoricalOptions): number[] {
  const V = row.length;
  const data = new Float64Array(N * V);
  for (let r = 0; r < N; r++) data.set(row, r * V);
  const rows = { data, shape: [N, V] };
  const input: CategoricalInput = kind === 'logits' ? { logits: rows } : { probs: rows };
  const s = sampleCategorical(Rng.seeded(seed), input, opts);
  expect(s.shape).toEqual([N]);
  const c = new Array<number>(V).fill(0);
  for (const x of s.data) c[x]!++;
  return c;
}

function softmax(z: number[], T = 1): number[] {
  const m = Math.max(...z.map((x) => x / T));
  const e = z.map((x) => Math.exp(x / T - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

function fits(c: number[], expected: number[]): boolean {
  const r = chiSquareTest(c, expected);
  return r.impossible === 0 && r.pValue > 0.001;
}

const LOGITS = [1.2, -0.3, 0.5, 2.0, -Infinity, 0.0, -1.1, 0.9];

describe('sampleCategorical: distributions (chi-square, p > 0.001)', () => {
  it('probs input (unnormalised, with a zero) matches probs / Σ probs', () => {
    const probs = [0.1, 0.4, 0, 1.3, 0.7, 0.05, 2.0];
    const c = counts(1, 'probs', probs, {});
    expect(fits(c, probs)).toBe(true);
    expect(c[2]).toBe(0);
    expect(fits(c, [0.1, 0.4, 0, 1.3, 0.7, 0.1, 2.0])).toBe(false); // control: a small change is detected
  });

  for (const T of [0.5, 2]) {
    it(`logits with temperature ${T} match softmax(logits / T)`, () => {
      const c = counts(2, 'logits', LOGITS, { temperature: T });
      expect(fits(c, softmax(LOGITS, T))).toBe(true);
      expect(fits(c, softmax(LOGITS, 1))).toBe(false); // control: T is not ignored
    });
  }

  it('probs with temperature 0.5 match p^2 / Σ p^2', () => {
    const probs = [0.1, 0.4, 0.2, 0.3];
    const c = counts(3, 'probs', probs, { temperature: 0.5 });
    expect(
      fits(
        c,
        probs.map((p) => p * p),
      ),
    ).toBe(true);
    expect(fits(c, probs)).toBe(false);
  });

  it('top-k keeps the k largest, renormalised', () => {
    const c = counts(4, 'logits', LOGITS, { topK: 3 });
    const keep = softmax(LOGITS).map((p, i) => ([0, 3, 7].includes(i) ? p : 0));
    expect(fits(c, keep)).toBe(true);
    expect(c.filter((x, i) => ![0, 3, 7].includes(i) && x > 0)).toEqual([]);
    expect(fits(c, softmax(LOGITS))).toBe(false);
  });

  it('top-k after temperature: softmax(logits / 2) restricted to the top 4', () => {
    const c = counts(5, 'logits', LOGITS, { topK: 4, temperature: 2 });
    expect(
      fits(
        c,
        softmax(LOGITS, 2).map((p, i) => ([0, 2, 3, 7].includes(i) ? p : 0)),
      ),
    ).toBe(true);
  });

  it('top-p keeps the smallest most-probable set with mass ≥ p, renormalised', () => {
    const probs = [0.06, 0.4, 0.15, 0.25, 0.1, 0.04];
    const c = counts(6, 'probs', probs, { topP: 0.75 }); // 0.4 + 0.25 + 0.15 = 0.8 ≥ 0.75
    expect(fits(c, [0, 0.4, 0.15, 0.25, 0, 0])).toBe(true);
    expect(fits(c, probs)).toBe(false);
    const c2 = counts(7, 'logits', LOGITS, { topP: 0.9, temperature: 0.5 });
    const q = softmax(LOGITS, 0.5);
    const order = q.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
    const kept = new Set<number>();
    let mass = 0;
    for (const [p, i] of order) {
      if (mass >= 0.9) break;
      kept.add(i);
      mass += p;
    }
    expect(kept.size).toBeLessThan(7); // the test truncates something
    expect(
      fits(
        c2,
        q.map((p, i) => (kept.has(i) ? p : 0)),
      ),
    ).toBe(true);
  });
});

describe('sampleCategorical: determinism and special cases', () => {
  const rows = f64([
    [0.3, 1.2, -0.5, 0.9],
    [2, 2, -1, 0],
    [-Infinity, 0, 0, -Infinity],
  ]);

  it('same seed → same samples; another seed → different samples', () => {
    const big = { logits: { data: new Float64Array(4000).map((_, i) => Math.sin(i)), shape: [1000, 4] } };
    const a = sampleCategorical(Rng.seeded(9), big, { temperature: 0.7, topP: 0.95 });
    const b = sampleCategorical(Rng.seeded(9), big, { temperature: 0.7, topP: 0.95 });
    const c = sampleCategorical(Rng.seeded(10), big, { temperature: 0.7, topP: 0.95 });
    expect([...a.data]).toEqual([...b.data]);
    expect([...a.data]).not.toEqual([...c.data]);
  });

  it('temperature 0 is argmax (first index wins ties) and draws no randomness', () => {
    const rng = Rng.seeded(3);
    const before = rng.state();
    expect([...sampleCategorical(rng, { logits: rows }, { temperature: 0 }).data]).toEqual([1, 0, 1]);
    expect([
      ...sampleCategorical(
        rng,
        {
          probs: f64([
            [0.1, 0.5, 0.4],
            [0.2, 0.2, 0.1],
          ]),
        },
        { temperature: 0, topK: 2, topP: 0.5 },
      ).data,
    ]).toEqual([1, 0]);
    expect(rng.state()).toEqual(before);
  });

  it('draws exactly V uniforms per row whatever the truncation', () => {
    const r1 = Rng.seeded(4);
    const r2 = Rng.seeded(4);
    sampleCategorical(r1, { logits: rows }, {});
    sampleCategorical(r2, { logits: rows }, { topK: 1, topP: 0.2 });
    expect(r1.state()).toEqual(r2.state());
    const r3 = Rng.seeded(4);
    r3.uniforms(12);
    expect(r3.state()).toEqual(r1.state());
  });

  it('topK = 1 and tiny topP are greedy; masked (−∞) logits are never drawn; leading shape kept', () => {
    const rng = Rng.seeded(5);
    const distinct = f64([
      [0.3, 1.2, -0.5, 0.9],
      [-2, 0.1, 0, -1],
    ]);
    expect([...sampleCategorical(rng, { logits: distinct }, { topK: 1 }).data]).toEqual([1, 1]);
    expect([...sampleCategorical(rng, { logits: distinct }, { topP: 1e-9 }).data]).toEqual([1, 1]);
    // Ties with the k-th value are all kept (as HF's TopKLogitsWarper): both tied maxima get drawn.
    const tied = sampleCategorical(
      rng,
      { logits: { data: new Float64Array(800).map((_, i) => [2, 2, -1, 0][i % 4]!), shape: [200, 4] } },
      { topK: 1 },
    );
    expect(new Set(tied.data)).toEqual(new Set([0, 1]));
    const masked = sampleCategorical(Rng.seeded(6), {
      logits: { data: new Float64Array(3000).map((_, i) => (i % 3 === 1 ? 0 : -Infinity)), shape: [10, 100, 3] },
    });
    expect(masked.shape).toEqual([10, 100]);
    expect(masked.data.every((x) => x === 1)).toBe(true);
  });

  it('refuses bad options and inputs with errors naming op and argument', () => {
    const rng = Rng.seeded(0);
    const bad =
      (opts: CategoricalOptions, input: CategoricalInput = { logits: rows }): (() => unknown) =>
      () =>
        sampleCategorical(rng, input, opts);
    for (const t of [-1, NaN, Infinity, '1' as unknown as number]) {
      expect(bad({ temperature: t })).toThrow(ConfigError);
      expect(bad({ temperature: t })).toThrow(/sampleCategorical: temperature/);
    }
    for (const k of [0, -2, 1.5, NaN]) expect(bad({ topK: k })).toThrow(/sampleCategorical: topK/);
    for (const p of [0, -0.1, 1.01, NaN]) expect(bad({ topP: p })).toThrow(/sampleCategorical: topP/);
    expect(bad({}, { probs: f64([[0.5, -0.1]]) })).toThrow(/sampleCategorical: probs.*-0.1 at row 0, index 1/);
    expect(bad({}, { probs: f64([[0, 0]]) })).toThrow(/row 0 is all zero/);
    expect(bad({}, { logits: f64([[0, NaN]]) })).toThrow(/sampleCategorical: logits/);
    expect(bad({}, { logits: f64([[0, Infinity]]) })).toThrow(ConfigError);
    expect(bad({}, { logits: f64([[-Infinity, -Infinity]]) })).toThrow(/all −∞/);
    expect(bad({}, {} as CategoricalInput)).toThrow(/exactly one of/);
    expect(bad({}, { logits: { data: new Float64Array(5), shape: [2, 3] } })).toThrow(ShapeError);
  });
});
