// Evaluations a sweep runs on every point after its default evaluation: the `evals:` section of a sweep file.
//
//   evals:
//     - verb: gen-ppl                          # a registered sweep evaluation (SWEEP_EVALS)
//       set: {evaluator: ../../runs/ar-evaluator, num: 16}   # fixed options; paths relative to the sweep file;
//                                             # or evaluator: {experiment: ../ar/quickstart.yaml, set: {…}}, trained
//                                             # once by `dlm sweep run` (sweep-evaluators.ts)
//       axes:                                  # a grid over the verb's options: each combination is one variant
//         sampler: [ddpm, ddpm_cache, analytic]
//         steps: [8, 32, 128, 512]
//
// Every variant runs on every point once the point is trained, into `<point>/evals/<id>/` (id = `<verb>-<hash8>`,
// hash8 from its canonical options: editing the axes keeps the ids of the variants that stay), so sampling knobs
// are swept over one trained model per point instead of retraining it per value (what MDLM's `mode=sample_eval`
// multirun over a checkpoint does). A point is `done` when its default evaluation and every variant have results. The
// variants are stored in the sweep directory's sweep.yaml, so run-point, status and report read them from there. A new
// verb is one entry here.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, Registry, brief } from '@dlm/core';
import { displayName } from '@dlm/config';
import { families } from '@dlm/models';
import { canonicalJson } from '../eval-out.ts';
import { runGenPpl, type GenPplResult } from '../eval-gen-ppl.ts';
import type { Experiment } from '../experiment.ts';
import { evaluatorTrained, isTrainedEvaluator, planEvaluator, type TrainedEvaluator } from './sweep-evaluators.ts';

/** One evaluation of every point: a verb with all its options fixed. */
export interface EvalVariant {
  /** `<verb>-<hash8>`: the folder under `<point>/evals/`. */
  id: string;
  verb: string;
  /** Every option (fixed ones and this variant's axis values), paths absolute. */
  options: Record<string, unknown>;
  /** This variant's axis values (`eval.<key>` columns of the report), in axis order. */
  axes: Record<string, unknown>;
}

/** Where a variant runs: the sweep directory, the trained point's directory, its output folder. */
export interface EvalContext {
  sweepDir: string;
  pdir: string;
  out: string;
  log: (line: string) => void;
}

export interface SweepEvalDef {
  verb: string;
  /** The options a variant may set (strict: an unknown key is an error naming it). */
  options: z.ZodType<Record<string, unknown>>;
  /** Plan time: the parsed options made absolute (paths against the sweep file, evaluators planned). */
  prepare(file: string, options: Record<string, unknown>, where: string): Record<string, unknown>;
  /** Plan-time checks of one variant against one point (the point's family…); throws a ConfigError. */
  check(options: Record<string, unknown>, point: Experiment, where: string): void;
  /** Models the sweep trains before its points run (sweep-evaluators.ts). */
  evaluators(options: Record<string, unknown>): TrainedEvaluator[];
  /** Runs the variant on a trained point, writing `ctx.out`/results.json. */
  run(options: Record<string, unknown>, ctx: EvalContext): Promise<void>;
  /** The report's numbers from results.json (NaN where missing), in `metrics` order. */
  metrics: readonly string[];
  read(results: Record<string, unknown>): Record<string, number>;
  /** Metrics the report plots against the first numeric eval axis. */
  plots: readonly string[];
}

const posInt = z.number().int().min(1);
const genPplOptions = z.strictObject({
  evaluator: z.union([
    z.string().min(1),
    z.strictObject({ experiment: z.string().min(1), set: z.record(z.string(), z.unknown()).default({}) }),
  ]),
  num: posInt.optional(),
  steps: posInt.optional(),
  sampler: z.string().min(1).optional(),
  length: posInt.optional(),
  batch: posInt.optional(),
  seed: z.number().int().optional(),
});

const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);

/** `dlm eval gen-ppl` on the point (eval-gen-ppl.ts): sample quality under an evaluator, NFE and wall clock. */
const genPpl: SweepEvalDef = {
  verb: 'gen-ppl',
  options: genPplOptions as z.ZodType<Record<string, unknown>>,
  prepare(file, o, where) {
    const ev = o['evaluator'] as z.output<typeof genPplOptions>['evaluator'];
    const evaluator =
      typeof ev === 'string' ? resolve(dirname(file), ev) : planEvaluator(file, ev, `${where}.set.evaluator`);
    return { ...o, evaluator };
  },
  evaluators: (o) => (isTrainedEvaluator(o['evaluator']) ? [o['evaluator']] : []),
  check(o, point, where) {
    const evaluator = o['evaluator'];
    if (typeof evaluator === 'string' && !existsSync(evaluator)) {
      const expected =
        'an AR run directory, a gpt2-layout checkpoint folder, or {experiment: <AR experiment>} for the sweep to train';
      throw new ConfigError({ op: 'sweep plan', arg: `${where}: evaluator`, expected, got: evaluator }, 'not found');
    }
    const sampler = o['sampler'];
    const fam = families.get(point.family.name);
    if (typeof sampler === 'string' && !fam.samplers.has(sampler)) {
      const expected = `a sampler of ${fam.name} (${fam.samplers.names().join(', ')})`;
      throw new ConfigError({ op: 'sweep plan', arg: `${where}: sampler`, expected, got: sampler }, 'is not one');
    }
  },
  async run(o, { sweepDir, pdir, out, log }) {
    const ev = o['evaluator'];
    if (isTrainedEvaluator(ev) && !evaluatorTrained(sweepDir, ev)) {
      const expected = 'an evaluator trained by `dlm sweep run` before the points';
      throw new ConfigError({ op: 'sweep run-point', arg: ev.dir, expected }, 'is not trained');
    }
    await runGenPpl({
      model: pdir,
      evaluator: isTrainedEvaluator(ev) ? join(sweepDir, ev.dir) : (ev as string),
      num: o['num'] as number | undefined,
      steps: o['steps'] as number | undefined,
      sampler: o['sampler'] as string | undefined,
      length: o['length'] as number | undefined,
      batch: o['batch'] as number | undefined,
      seed: o['seed'] as number | undefined,
      out,
      log,
    });
  },
  metrics: ['gen_perplexity', 'entropy', 'distinct_2', 'self_bleu', 'nfe', 'sampling_s', 'sampling_tokens_per_sec'],
  read(r) {
    const g = r as unknown as Partial<GenPplResult>;
    return {
      gen_perplexity: num(g.genPerplexity),
      entropy: num(g.entropy?.mean),
      distinct_2: num(g.distinct?.[2]),
      self_bleu: num(g.selfBleu),
      nfe: num(g.nfe),
      sampling_s: num(g.seconds?.sampling),
      sampling_tokens_per_sec: num(g.tokensPerSec),
    };
  },
  plots: ['gen_perplexity', 'sampling_s'],
};

export const SWEEP_EVALS = new Registry<SweepEvalDef>('sweep evaluation', [['gen-ppl', genPpl]]);

/** The `evals:` entries as written: a verb, its fixed options (`set`) and a grid of option axes. */
export const evalsSection = z.array(
  z.strictObject({
    verb: z.string().min(1),
    set: z.record(z.string(), z.unknown()).default({}),
    axes: z.record(z.string(), z.array(z.unknown())).default({}),
  }),
);
export type EvalsSection = z.output<typeof evalsSection>;

const fail = (file: string, arg: string, expected: string, got?: string, detail?: string): never => {
  throw new ConfigError({ op: 'sweep plan', arg: `${displayName(file)}: ${arg}`, expected, got }, detail);
};

/** Expands and validates the `evals:` section against every point; nothing runs. */
export function planEvals(file: string, section: EvalsSection, points: readonly Experiment[]): EvalVariant[] {
  const variants: EvalVariant[] = [];
  section.forEach((entry, e) => {
    const where = `evals[${e}]`;
    if (!SWEEP_EVALS.has(entry.verb))
      fail(file, `${where}.verb`, `one of ${SWEEP_EVALS.names().join(', ')}`, entry.verb);
    const def = SWEEP_EVALS.get(entry.verb);
    const { axes, set: fixed } = entry;
    for (const [key, values] of Object.entries(axes)) {
      if (values.length === 0)
        fail(file, `${where}.axes.${key}`, 'a non-empty list of values', '[]', 'is an empty axis');
      if (key in fixed) fail(file, `${where}.axes.${key}`, 'a key set either fixed or as an axis', 'both');
    }
    let combos: Record<string, unknown>[] = [{}];
    for (const [k, values] of Object.entries(axes))
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
    for (const combo of combos) {
      const raw = { ...fixed, ...combo };
      const parsed = def.options.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = issue.path.length ? String(issue.path[0]) : (issue as { keys?: string[] }).keys?.[0];
        const arg = key && key in combo ? `${where}.axes.${key}` : `${where}.set${key ? `.${key}` : ''}`;
        fail(file, arg, `a valid ${entry.verb} option`, key && key in raw ? brief(raw[key]) : undefined, issue.message);
      }
      const options = def.prepare(file, parsed.data!, `${displayName(file)}: ${where}`);
      points.forEach((point, i) => def.check(options, point, `${displayName(file)}: ${where} (point ${i})`));
      const hash8 = createHash('sha256')
        .update(canonicalJson({ verb: entry.verb, options }))
        .digest('hex')
        .slice(0, 8);
      if (variants.some((v) => v.id === `${entry.verb}-${hash8}`)) {
        fail(file, `${where}.axes`, 'variants that differ', brief(combo), 'repeats an earlier variant');
      }
      variants.push({ id: `${entry.verb}-${hash8}`, verb: entry.verb, options, axes: combo });
    }
  });
  return variants;
}

/** The eval variants of a prepared sweep directory (its sweep.yaml; none for a sweep without `evals:`). */
export function readSweepEvals(dir: string): EvalVariant[] {
  const f = join(dir, 'sweep.yaml');
  if (!existsSync(f)) return [];
  const doc = parseYaml(readFileSync(f, 'utf8')) as { evals?: EvalVariant[] } | null;
  return doc?.evals ?? [];
}

/** `<point>/evals/<id>/results.json`. */
export function variantResults(pdir: string, v: Pick<EvalVariant, 'id'>): string {
  return join(pdir, 'evals', v.id, 'results.json');
}

/** True when every variant has results in the point directory. */
export function variantsDone(pdir: string, variants: readonly EvalVariant[]): boolean {
  return variants.every((v) => existsSync(variantResults(pdir, v)));
}

/** The models the variants need trained first (deduplicated by folder). */
export function variantEvaluators(variants: readonly EvalVariant[]): TrainedEvaluator[] {
  const all = variants.flatMap((v) => SWEEP_EVALS.get(v.verb).evaluators(v.options));
  return [...new Map(all.map((e) => [e.dir, e])).values()];
}

/** Runs the variants that have no results yet, in order. */
export async function runMissingVariants(
  sweepDir: string,
  pdir: string,
  variants: readonly EvalVariant[],
  log: (line: string) => void,
): Promise<void> {
  for (const v of variants) {
    if (existsSync(variantResults(pdir, v))) continue;
    log(`eval ${v.id} (${JSON.stringify(v.axes)})`);
    await SWEEP_EVALS.get(v.verb).run(v.options, { sweepDir, pdir, out: dirname(variantResults(pdir, v)), log });
  }
}
