import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.ts';
import { type NestedNumbers, f64, i32 } from '../nd.ts';
import { Rng } from '../rng.ts';
import { chiSquareTest } from './chi-square.ts';
import { sampleFromUniforms } from './from-uniforms.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = process.env['DLM_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/reference');

describe('sampleFromUniforms (SEDD/MDLM rule)', () => {
  it('argmax of probs / (1e-10 − log(u + 1e-10)) on a hand-worked row', () => {
    // scores: 0.2/(-log 0.5)=0.2885, 0.5/(-log 0.1)=0.2171, 0.3/(-log 0.9)=2.847 → index 2
    const s = sampleFromUniforms(
      f64([
        [0.2, 0.5, 0.3],
        [0.2, 0.5, 0.3],
      ]),
      f64([
        [0.5, 0.1, 0.9],
        [0.5, 0.99, 0.1],
      ]),
    );
    // row 1: 0.2885, 0.5/0.01005=49.75, 0.3/2.303=0.130 → index 1
    expect([...s.data]).toEqual([2, 1]);
    expect(s.shape).toEqual([2]);
  });

  it('first index wins ties; u = 0 is finite thanks to the +1e-10', () => {
    expect([...sampleFromUniforms(f64([1, 1, 1]), f64([0.5, 0.5, 0.5])).data]).toEqual([0]);
    expect([...sampleFromUniforms(f64([1, 2, 1]), f64([0, 0, 0])).data]).toEqual([1]);
    expect(sampleFromUniforms(f64([[[0.1, 0.9]]]), f64([[[0.3, 0.3]]])).shape).toEqual([1, 1]);
  });

  it('refuses mismatched shapes and uniforms outside [0, 1]', () => {
    expect(() => sampleFromUniforms(f64([[1, 2]]), f64([[0.5, 0.5, 0.5]]))).toThrow(ShapeError);
    expect(() => sampleFromUniforms(f64([1, 2]), f64([0.5, 1.5]))).toThrow(ConfigError);
  });

  it('is an exact categorical sampler: chi-square against probs / Σ probs (p > 0.001)', () => {
    const V = 6;
    const probs = [3, 1, 0.5, 2, 0, 1.5]; // unnormalised
    const N = 20000;
    const rng = Rng.seeded(21);
    const p = new Float64Array(N * V);
    for (let r = 0; r < N; r++) p.set(probs, r * V);
    const s = sampleFromUniforms({ data: p, shape: [N, V] }, { data: rng.uniforms(N * V), shape: [N, V] });
    const counts = new Array<number>(V).fill(0);
    for (const x of s.data) counts[x]!++;
    const res = chiSquareTest(counts, probs);
    expect(res.impossible).toBe(0);
    expect(res.pValue).toBeGreaterThan(0.001);
  });

  it('reproduces the stored reference samples of every fixture case with probs, gumbel_uniforms and x_next', () => {
    let checked = 0;
    for (const file of ['sedd_sampling.json', 'mdlm.json']) {
      const path = join(fixturesDir, file);
      expect(existsSync(path), path).toBe(true);
      const cases = (
        JSON.parse(readFileSync(path, 'utf8')) as {
          cases: { name: string; inputs: Record<string, NestedNumbers>; outputs: Record<string, NestedNumbers> }[];
        }
      ).cases;
      for (const c of cases) {
        const u = c.inputs['gumbel_uniforms'];
        const probs = c.outputs['probs'];
        const xNext = c.outputs['x_next'];
        if (u === undefined || probs === undefined || xNext === undefined) continue;
        const pu = f64(probs);
        const uu = f64(u);
        if (pu.shape.join() !== uu.shape.join()) continue;
        const got = sampleFromUniforms(pu, uu);
        const want = i32(xNext);
        expect(got.shape, c.name).toEqual(want.shape);
        expect([...got.data], c.name).toEqual([...want.data]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });
});
