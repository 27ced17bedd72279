// `dlm train --resume <run> [--set trainer.max_steps=N ...]`: what a resumed run may change, and
// how an extension is recorded. A resumed run keeps its resolved.yaml: only knobs that cannot
// change what the steps already taken mean may be set (the horizon, logging, checkpoint and
// sampling cadence). Extending max_steps recomputes the learning-rate schedule for the new
// horizon from the resumed step on (warmup is over by then for any sane run; a cosine/linear
// decay is stretched), and the extension is appended to extensions.jsonl with the learning rate
// at the resumed step under the old and the new horizon.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@dlm/core';
import { parseOverride } from '@dlm/config';
import { lrMultiplier } from './lr-schedule.ts';
import type { Experiment } from './experiment.ts';

/** Dotted config paths a resumed run accepts in `--set`. */
export const RESUME_SETTABLE = [
  'trainer.max_steps',
  'trainer.log_every_n_steps',
  'trainer.val_check_interval',
  'trainer.checkpoint_every',
  'trainer.keep_checkpoints',
  'sampling.predictor',
  'sampling.steps',
  'sampling.num_samples',
  'sampling.length',
  'eval.time_samples',
] as const;

/** Refuses any `--set` of a resumed run outside RESUME_SETTABLE, naming the allowed ones. */
export function checkResumeSets(sets: readonly string[]): void {
  for (const s of sets) {
    const key = parseOverride(s).path.join('.');
    if (!(RESUME_SETTABLE as readonly string[]).includes(key)) {
      throw new ConfigError(
        {
          op: 'train --resume',
          arg: `--set ${key}`,
          expected: `one of the knobs a resumed run may change: ${RESUME_SETTABLE.join(', ')}`,
        },
        'cannot change a resumed run',
      );
    }
  }
}

type LrConfig = Pick<Experiment, 'optim' | 'lr_scheduler'>;

/** Learning rate of the update after `step` completed steps, for a run of `maxSteps`. */
export function lrAt(c: LrConfig, step: number, maxSteps: number): number {
  return (
    c.optim.lr *
    lrMultiplier(step, {
      warmupSteps: c.lr_scheduler.warmup_steps,
      totalSteps: maxSteps,
      decay: c.lr_scheduler.decay,
      minRatio: c.lr_scheduler.min_lr_ratio,
    })
  );
}

export interface Extension {
  time: string;
  from_step: number;
  old_max_steps: number;
  new_max_steps: number;
  /** lr of the next update under the old horizon and under the new one. */
  lr_before: number;
  lr_after: number;
  sets: string[];
}

export function extensionOf(
  c: LrConfig,
  fromStep: number,
  oldMax: number,
  newMax: number,
  sets: readonly string[],
): Extension {
  if (!(newMax > fromStep)) {
    throw new ConfigError({
      op: 'train --resume',
      arg: 'trainer.max_steps',
      expected: `more than the run's ${fromStep} completed steps`,
      got: String(newMax),
    });
  }
  return {
    time: new Date().toISOString(),
    from_step: fromStep,
    old_max_steps: oldMax,
    new_max_steps: newMax,
    lr_before: lrAt(c, fromStep, oldMax),
    lr_after: lrAt(c, fromStep, newMax),
    sets: [...sets],
  };
}

export function recordExtension(runDir: string, e: Extension): void {
  appendFileSync(join(runDir, 'extensions.jsonl'), `${JSON.stringify(e)}\n`);
}

export function formatExtension(e: Extension): string {
  const lr = (x: number) => x.toExponential(3);
  return (
    `extending the run from step ${e.from_step}: max_steps ${e.old_max_steps} → ${e.new_max_steps}; ` +
    `learning rate of step ${e.from_step + 1}: ${lr(e.lr_before)} (old horizon) → ${lr(e.lr_after)} (new horizon)`
  );
}
