// Models a sweep trains once for its `evals:`: gen-ppl's evaluator given as an experiment instead of a path,
//   set: {evaluator: {experiment: ../ar/quickstart.yaml, set: {trainer.max_steps: 1500}}}
// is resolved and validated when the sweep is planned (an evaluator needs an exact likelihood: the AR family), and
// trained by `dlm sweep run` into `<sweep-dir>/evaluators/<name>-<hash8>/` before any point runs (resumed when
// interrupted, skipped when done), so a sweep with generative metrics runs from a fresh clone in one command. With
// the slurm executor it trains where `dlm sweep run` runs, before the array is submitted.
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError } from '@dlm/core';
import { displayName, resolveConfig } from '@dlm/config';
import { families } from '@dlm/models';
import { latestCheckpointDir } from '../checkpoint.ts';
import { EXPERIMENT_PATHS, experimentSchema, type Experiment } from '../experiment.ts';
import { runTrain } from '../run-train.ts';
import { readRunState } from '../run-state.ts';
import { experimentHash, setText } from './experiment-hash.ts';

/** An evaluator the sweep trains: its experiment (absolute), the overrides, and its folder in the sweep directory. */
export interface TrainedEvaluator {
  experiment: string;
  set: Record<string, unknown>;
  /** `evaluators/<name>-<hash8>`, relative to the sweep directory. */
  dir: string;
}

export function isTrainedEvaluator(v: unknown): v is TrainedEvaluator {
  return typeof v === 'object' && v !== null && typeof (v as TrainedEvaluator).dir === 'string';
}

/** Resolves and validates an evaluator experiment (relative to the sweep file); `where` names it in errors. */
export function planEvaluator(
  file: string,
  spec: { experiment: string; set: Record<string, unknown> },
  where: string,
): TrainedEvaluator {
  const experiment = resolve(dirname(file), spec.experiment);
  if (!existsSync(experiment)) {
    const expected = 'an experiment YAML (relative to the sweep file)';
    throw new ConfigError({ op: 'sweep plan', arg: `${where}.experiment`, expected, got: experiment }, 'not found');
  }
  let e: Experiment;
  try {
    const sets = Object.entries(spec.set).map(([k, v]) => setText(k, v));
    e = resolveConfig({ schema: experimentSchema, file: experiment, sets, paths: EXPERIMENT_PATHS })
      .config as Experiment;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError({ op: 'sweep plan', arg: where }, `is not a valid experiment: ${err.message}`);
  }
  const fam = families.get(e.family.name);
  if (fam.likelihood !== 'exact') {
    const expected = 'an experiment of a family with an exact likelihood (ar)';
    throw new ConfigError({ op: 'sweep plan', arg: `${where} (${displayName(experiment)})`, expected, got: fam.name });
  }
  const name = basename(experiment, extname(experiment));
  return { experiment, set: spec.set, dir: join('evaluators', `${name}-${experimentHash(e).slice(0, 8)}`) };
}

/** True when the evaluator's run finished training. */
export function evaluatorTrained(sweepDir: string, ev: TrainedEvaluator): boolean {
  return readRunState(join(sweepDir, ev.dir))?.state === 'done';
}

/** Trains (or resumes, or skips when done) every evaluator of the sweep, one after another. */
export async function trainEvaluators(
  sweepDir: string,
  evaluators: readonly TrainedEvaluator[],
  log: (line: string) => void,
): Promise<void> {
  const unique = new Map(evaluators.map((ev) => [ev.dir, ev]));
  for (const ev of unique.values()) {
    if (evaluatorTrained(sweepDir, ev)) continue;
    const runDir = join(sweepDir, ev.dir);
    const latest = existsSync(runDir) ? latestCheckpointDir(join(runDir, 'checkpoints')) : undefined;
    if (!latest) rmSync(runDir, { recursive: true, force: true }); // a dead attempt that left no checkpoint
    log(`evaluator ${ev.dir}: ${latest ? 'resuming' : 'training'} (${displayName(ev.experiment)})`);
    const argv = ['dlm', 'sweep', 'run', '(evaluator)'];
    const r = await runTrain(
      latest
        ? { resume: runDir, argv, log, noSamples: true }
        : {
            file: ev.experiment,
            sets: Object.entries(ev.set).map(([k, v]) => setText(k, v)),
            runDir,
            argv,
            log,
            noSamples: true,
          },
    );
    if (r.interrupted) {
      throw new ConfigError({ op: 'sweep run', arg: ev.dir }, `evaluator training interrupted by ${r.interrupted}`);
    }
  }
}
