// Sweep files: a base experiment plus the axes to vary over it, expanded into points that are each resolved and
// validated (through the experiment schema, as `--set key=value` overrides) before anything runs.
//
//   name: lr-seeds                     # optional; default the file's base name
//   base: ../quickstart/quickstart.yaml   # relative to this file
//   set: {trainer.max_steps: 20}       # optional: on every point (not an axis)
//   sweep:
//     mode: grid                       # grid (cartesian product, last axis fastest) | zip (i-th of every axis)
//                                      # | random (n draws with `seed`)
//     axes:
//       optim.lr: [1.0e-3, 2.0e-3]
//       family: [{name: mdlm}, {name: sedd, graph: absorb}]   # a value may replace a whole slot
//       # random: {choice: [...]}, {uniform: [a, b]}, {loguniform: [a, b]}, {int: [a, b]} (inclusive), or a list
//     n: 8                             # random only
//     seed: 0                          # random only
//     seeds: [1, 2, 3]                 # the experiment's `seed`, crossed with every point (innermost)
//   slurm: {partition: cpu, time: "01:00:00", cpus_per_task: 2, mem: 8G}   # the slurm executor only
//   evals: [{verb: gen-ppl, evaluator: …, axes: {sampler: [...], steps: [...]}}]   # per trained point (sweep-evals.ts)
import { basename, dirname, extname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, Rng, brief } from '@dlm/core';
import {
  ConfigIssuesError,
  displayName,
  parseYaml,
  readFileIfExists,
  resolveConfig,
  validateTree,
  type ConfigIssue,
} from '@dlm/config';
import { EXPERIMENT_PATHS, experimentSchema, type Experiment } from '../experiment.ts';
import { SWEEP_MODES, type PlannedSweep, type SweepPoint } from './types.ts';
import { evalsSection, planEvals } from './sweep-evals.ts';
import { experimentHash, setText } from './experiment-hash.ts';

export { experimentHash, setText };

const pair = z.tuple([z.number(), z.number()]);
// One object with the four optional keys (exactly one given: checkAxes) so an unknown key gets a clear message.
const randomSpec = z.strictObject({
  choice: z.array(z.unknown()).min(1).optional(),
  uniform: pair.optional(),
  loguniform: pair.optional(),
  int: z.tuple([z.number().int(), z.number().int()]).optional(),
});
export type RandomSpec = z.output<typeof randomSpec>;

export const slurmSection = z.strictObject({
  partition: z.string().min(1).optional(),
  time: z.string().min(1).optional(),
  cpus_per_task: z.number().int().min(1).optional(),
  gpus: z.number().int().min(0).optional(),
  mem: z.string().min(1).optional(),
  account: z.string().min(1).optional(),
  extra: z.array(z.string()).optional(),
  max_parallel: z.number().int().min(1).optional(),
});

export const sweepFileSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .optional(),
  base: z.string().min(1),
  /** Dotted key → value set on every point (before the axes), e.g. a shorter trainer.max_steps. */
  set: z.record(z.string(), z.unknown()).default({}),
  sweep: z.strictObject({
    mode: z.enum(SWEEP_MODES).default('grid'),
    axes: z.record(z.string(), z.union([z.array(z.unknown()), randomSpec])).default({}),
    n: z.number().int().min(1).optional(),
    seed: z.number().int().default(0),
    seeds: z.array(z.number().int()).optional(),
  }),
  slurm: slurmSection.optional(),
  /** Evaluations of every trained point beyond the default one (sweep-evals.ts). */
  evals: evalsSection.default([]),
});
export type SweepFile = z.output<typeof sweepFileSchema>;

/** True when a YAML tree is a sweep file (it has a top-level `sweep:` key). */
export function isSweepTree(tree: unknown): boolean {
  return typeof tree === 'object' && tree !== null && !Array.isArray(tree) && 'sweep' in tree;
}

/** Reads and validates a sweep file (not yet its points). */
export function readSweepFile(file: string): SweepFile {
  const abs = resolve(file);
  const text = readFileIfExists(abs);
  if (text === undefined) {
    throw new ConfigError({ op: 'sweep', arg: displayName(abs), expected: 'an existing sweep YAML file' }, 'not found');
  }
  const tree = parseYaml(text, displayName(abs));
  return validateTree(sweepFileSchema, tree, new Map(), displayName(abs));
}

const fail = (file: string, arg: string, expected: string, got?: string, detail?: string): never => {
  throw new ConfigError({ op: 'sweep plan', arg: `${displayName(file)}: ${arg}`, expected, got }, detail);
};

/** One value of a random axis. `{int: [a, b]}` is inclusive of both ends. */
function draw(spec: RandomSpec, rng: Rng): unknown {
  if (spec.choice) return spec.choice[rng.int(0, spec.choice.length)];
  if (spec.uniform) return spec.uniform[0] + (spec.uniform[1] - spec.uniform[0]) * rng.uniform();
  if (spec.loguniform) {
    const [a, b] = spec.loguniform.map(Math.log) as [number, number];
    return Math.exp(a + (b - a) * rng.uniform());
  }
  return rng.int(spec.int![0], spec.int![1] + 1);
}

/** Checks the axes themselves (before any point is resolved). */
function checkAxes(file: string, s: SweepFile['sweep']): void {
  for (const [key, axis] of Object.entries(s.axes)) {
    const arg = `sweep.axes.${key}`;
    if (key === 'seed' && s.seeds) fail(file, arg, 'the seeds under sweep.seeds only', 'both');
    if (Array.isArray(axis)) {
      if (axis.length === 0) fail(file, arg, 'a non-empty list of values', '[]', 'is an empty axis');
      continue;
    }
    if (s.mode !== 'random') {
      fail(file, arg, `a list of values in ${s.mode} mode (random specs need mode: random)`, brief(axis));
    }
    const kinds = Object.keys(axis);
    if (kinds.length !== 1) fail(file, arg, 'exactly one of choice, uniform, loguniform, int', brief(axis));
    if (axis.choice) continue;
    const [lo, hi] = (axis.uniform ?? axis.loguniform ?? axis.int)!;
    if (!(lo <= hi)) fail(file, arg, 'a range [a, b] with a <= b', `[${lo}, ${hi}]`);
    if (axis.loguniform && !(lo > 0)) fail(file, arg, 'a loguniform range of positive numbers', `[${lo}, ${hi}]`);
  }
  if (s.seeds?.length === 0) fail(file, 'sweep.seeds', 'a non-empty list of integer seeds', '[]', 'is empty');
  if (s.mode === 'zip') {
    const lengths = Object.entries(s.axes).map(([k, a]) => `${k} ${(a as unknown[]).length}`);
    if (new Set(Object.values(s.axes).map((a) => (a as unknown[]).length)).size > 1) {
      fail(file, 'sweep.axes', 'zip axes of equal lengths', lengths.join(', '));
    }
  }
  if (s.mode === 'random' && s.n === undefined)
    fail(file, 'sweep.n', 'the number of points to draw in random mode', 'none');
  if (s.mode !== 'random' && s.n !== undefined)
    fail(file, 'sweep.n', `no n in ${s.mode} mode (random mode only)`, String(s.n));
}

/** The override sets of every point, in plan order. */
export function expandAxes(s: SweepFile['sweep']): Record<string, unknown>[] {
  const keys = Object.keys(s.axes);
  let combos: Record<string, unknown>[];
  if (s.mode === 'grid') {
    combos = [{}];
    for (const k of keys) combos = combos.flatMap((c) => (s.axes[k] as unknown[]).map((v) => ({ ...c, [k]: v })));
  } else if (s.mode === 'zip') {
    const n = keys.length ? (s.axes[keys[0]!] as unknown[]).length : 1;
    combos = Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((k) => [k, (s.axes[k] as unknown[])[i]])));
  } else {
    const rng = Rng.seeded(s.seed);
    combos = Array.from({ length: s.n ?? 0 }, (_, i) => {
      const r = rng.split(`point-${i}`);
      return Object.fromEntries(
        keys.map((k) => {
          const a = s.axes[k]!;
          return [k, draw(Array.isArray(a) ? { choice: a } : a, r.split(k))];
        }),
      );
    });
  }
  if (!s.seeds) return combos;
  return combos.flatMap((c) => s.seeds!.map((seed) => ({ ...c, seed })));
}

/** The axis key an issue at dotted `path` belongs to (the longest override key that is a prefix), if any. */
function axisOf(path: string, keys: string[]): string | undefined {
  return keys
    .filter((k) => path === k || path.startsWith(`${k}.`) || k.startsWith(`${path}.`))
    .sort((a, b) => b.length - a.length)[0];
}

/** Resolves one point; a bad point is a ConfigError naming the point index and the key. */
function resolvePoint(
  file: string,
  baseFile: string,
  index: number,
  fixed: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Experiment {
  const all = { ...fixed, ...overrides };
  const keys = [...Object.keys(fixed).filter((k) => !(k in overrides)), ...Object.keys(overrides)];
  try {
    const sets = [...Object.entries(fixed), ...Object.entries(overrides)].map(([k, v]) => setText(k, v));
    return resolveConfig({ schema: experimentSchema, file: baseFile, sets, paths: EXPERIMENT_PATHS })
      .config as Experiment;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const issues: readonly ConfigIssue[] = e instanceof ConfigIssuesError ? e.issues : [];
    const path = issues[0]?.path ?? '';
    const key = axisOf(path, keys) ?? (path || '(root)');
    const value = key in all ? ` = ${brief(all[key])}` : '';
    throw new ConfigError(
      { op: 'sweep plan', arg: `${displayName(file)}: point ${index} (${key}${value})` },
      `is not a valid experiment: ${e.message}`,
    );
  }
}

/** Expands, resolves and validates every point of a sweep file. Nothing is run or written. */
export function planSweep(file: string): PlannedSweep {
  const abs = resolve(file);
  const f = readSweepFile(abs);
  checkAxes(abs, f.sweep);
  const baseFile = resolve(dirname(abs), f.base);
  if (readFileIfExists(baseFile) === undefined)
    fail(abs, 'base', 'an existing experiment YAML (relative to the sweep file)', baseFile);
  const points: SweepPoint[] = expandAxes(f.sweep).map((overrides, index) => {
    const experiment = resolvePoint(abs, baseFile, index, f.set, overrides);
    const hash = experimentHash(experiment);
    const hash8 = hash.slice(0, 8);
    return { index, hash, hash8, overrides, experiment, dirName: `${index}-${hash8}` };
  });
  const seen = new Map<string, number>();
  for (const p of points) {
    const other = seen.get(p.hash);
    if (other !== undefined) {
      fail(abs, `point ${p.index}`, 'points that differ', `the same experiment as point ${other}`);
    }
    seen.set(p.hash, p.index);
  }
  const axes = [...Object.keys(f.sweep.axes), ...(f.sweep.seeds ? ['seed'] : [])];
  const evals = planEvals(
    abs,
    f.evals,
    points.map((p) => p.experiment),
  );
  return {
    name: f.name ?? basename(abs, extname(abs)),
    file: abs,
    baseFile,
    mode: f.sweep.mode,
    axes,
    points,
    slurm: f.slurm,
    evals,
  };
}
