import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { writeRunState } from '../run-state.ts';
import { planSweep } from './sweep-file.ts';
import { EVAL_RESULTS, pointDir, pointState, prepareSweepDir } from './sweep-dir.ts';
import { readSweepEvals, variantEvaluators, variantResults, variantsDone } from './sweep-evals.ts';
import { writeSweepReport } from './write-sweep-report.ts';

const experiments = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../experiments');
const base = join(experiments, 'quickstart/quickstart.yaml');
const ar = join(experiments, 'ar/quickstart.yaml');
const root = mkdtempSync(join(tmpdir(), 'dlm-sweep-evals-'));
let n = 0;

/** A sweep file (2 seeds of the quickstart) with this `evals:` text; returns its path. */
function sweepWith(evals: string): string {
  const f = join(root, `s${n++}.yaml`);
  writeFileSync(f, `base: ${base}\nsweep:\n  axes: {}\n  seeds: [1, 2]\nevals:\n${evals}`);
  return f;
}
const genPpl = (set: string, axes: string) => `  - verb: gen-ppl\n    set: ${set}\n    axes: ${axes}\n`;
const trained = `{evaluator: {experiment: ${ar}, set: {trainer.max_steps: 10}}, num: 2}`;

describe('planning the evals: section', () => {
  it('expands the axes into variants (grid, last axis fastest) with stable ids and absolute paths', () => {
    const f = sweepWith(genPpl(trained, '{sampler: [ddpm, analytic], steps: [4, 16]}'));
    const plan = planSweep(f);
    expect(plan.evals.map((v) => v.axes)).toEqual([
      { sampler: 'ddpm', steps: 4 },
      { sampler: 'ddpm', steps: 16 },
      { sampler: 'analytic', steps: 4 },
      { sampler: 'analytic', steps: 16 },
    ]);
    expect(plan.evals.map((v) => v.id)).toEqual(planSweep(f).evals.map((v) => v.id));
    expect(new Set(plan.evals.map((v) => v.id)).size).toBe(4);
    expect(plan.evals[1]!.id).toMatch(/^gen-ppl-[0-9a-f]{8}$/);
    expect(plan.evals[0]!.options).toMatchObject({ num: 2, sampler: 'ddpm', steps: 4 });
    // One AR evaluator, trained once by `dlm sweep run` into evaluators/quickstart-<hash8>.
    const evs = variantEvaluators(plan.evals);
    expect(evs).toHaveLength(1);
    expect(evs[0]!.experiment).toBe(ar);
    expect(evs[0]!.dir).toMatch(/^evaluators\/quickstart-[0-9a-f]{8}$/);
    const path = sweepWith(genPpl('{evaluator: ../runs/ar, num: 2}', '{steps: [4]}'));
    expect(() => planSweep(path)).toThrow(/evaluator.*not found/);
  });
  it('bad entries are named errors before anything runs', () => {
    const cases: [string, RegExp][] = [
      ['  - verb: gen-pl\n', /evals\[0\]\.verb.*one of gen-ppl/],
      [genPpl(trained, '{steps: []}'), /evals\[0\]\.axes\.steps.*empty axis/],
      [genPpl(trained, '{steps: [0]}'), /evals\[0\]\.axes\.steps.*valid gen-ppl option/],
      [genPpl(trained, "{steps: ['many']}"), /evals\[0\]\.axes\.steps.*"many"/],
      [genPpl(trained, '{num: [3]}'), /evals\[0\]\.axes\.num.*either fixed or as an axis/],
      [genPpl(trained, '{steps: [4, 4]}'), /evals\[0\]\.axes.*repeats an earlier variant/],
      [genPpl(`{evaluator: {experiment: ${ar}}, numm: 2}`, '{}'), /evals\[0\]\.set.*numm/],
      [genPpl(trained, '{sampler: [euler]}'), /sampler.*a sampler of mdlm \(.*ddpm_cache.*\).*euler/],
      [genPpl(`{evaluator: {experiment: ${base}}}`, '{}'), /exact likelihood \(ar\).*got mdlm/],
      [genPpl(`{evaluator: {experiment: ${ar}, set: {optim.lrr: 1}}}`, '{}'), /not a valid experiment/],
      [
        genPpl(`{evaluator: ${join(root, 'no-such-run')}}`, '{}'),
        /evaluator not found.*for the sweep to train.*no-such-run/,
      ],
    ];
    for (const [text, re] of cases) expect(() => planSweep(sweepWith(text)), text).toThrow(re);
  });
});

describe('a sweep directory with evals', () => {
  it('stores the variants; a point is done only when every variant has results; the report has one row each', () => {
    const plan = planSweep(sweepWith(genPpl(trained, '{sampler: [ddpm, ddpm_cache], steps: [4, 16]}')));
    const dir = join(root, `dir${n++}`);
    prepareSweepDir(dir, plan);
    const variants = readSweepEvals(dir);
    expect(variants).toEqual(JSON.parse(JSON.stringify(plan.evals)));
    plan.points.forEach((p, i) => {
      const pdir = pointDir(dir, p);
      writeRunState(pdir, { state: 'done', step: 300, maxSteps: 300 });
      mkdirSync(join(pdir, 'evals', 'default'), { recursive: true });
      writeFileSync(join(pdir, EVAL_RESULTS), JSON.stringify({ bitsPerToken: 4 }));
      expect(pointState(dir, p)).toBe('interrupted');
      variants.forEach((v, k) => {
        const f = variantResults(pdir, v);
        mkdirSync(join(f, '..'), { recursive: true });
        const result = {
          genPerplexity: 10 + k + i,
          entropy: { mean: 3, stderr: 0.1 },
          distinct: { 1: 0.5, 2: 0.9, 3: 1 },
          selfBleu: 2,
          nfe: (v.axes['steps'] as number) + 1,
          seconds: { sampling: 0.5, scoring: 0.1, total: 0.6 },
          tokensPerSec: 2048,
        };
        writeFileSync(f, JSON.stringify(result));
      });
      expect(variantsDone(pdir, variants)).toBe(true);
      expect(pointState(dir, p)).toBe('done');
    });
    const r = writeSweepReport(dir);
    expect(r.plots).toEqual([
      'plots/gen_perplexity-vs-eval.steps.svg',
      'plots/gen_perplexity-vs-eval.steps.png',
      'plots/sampling_s-vs-eval.steps.svg',
      'plots/sampling_s-vs-eval.steps.png',
    ]);
    const csv = readFileSync(join(dir, 'evals-gen-ppl.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe(
      'index,dir,state,variant,seed,eval.sampler,eval.steps,gen_perplexity,entropy,distinct_2,self_bleu,nfe,' +
        'sampling_s,sampling_tokens_per_sec',
    );
    expect(csv).toHaveLength(2 * 4 + 2);
    expect(csv[5]!.split(',').slice(4)).toEqual(['2', 'ddpm', '4', '11', '3', '0.9', '2', '5', '0.5', '2048']);
    const md = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(md).toContain('## Evaluations: gen-ppl');
    // Means over the two seeds: gen_perplexity 10.5 ± 0.5 for the first variant.
    expect(md).toContain('| ddpm | 4 | 2 | 10.5000 ± 0.5000 |');
    const t = tableFromIPC(readFileSync(join(dir, 'evals-gen-ppl.arrow')));
    expect(t.numRows).toBe(8);
    expect([...t.getChild('nfe')!.toArray()]).toEqual([5, 17, 5, 17, 5, 17, 5, 17]);
  });
});
