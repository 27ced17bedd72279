// `dlm sample <diffusion run> --control <classifier run> --control-target <label>`: the same seeds sampled
// twice, without and with gradient-based control (@dlm/samplers gradient-control.ts), and both judged by the
// attribute's own rule on the decoded text (never by the classifier):
//   rate = k/n,  s.e. = sqrt(rate·(1 − rate)/n)                          (binomial)
//   difference = rate_with − rate_without,  s.e. = sqrt(se_with² + se_without²),  z = difference / s.e.
// The difference's s.e. treats the two sets as independent; they share seeds (the same x_T and noise draws), so
// it is conservative. The controlled chain skips the last 5% of its steps (k < round(steps/20); langevin_fn3:
// t < 10 of its 200 steps) and the classifier sees each sample's original timestep (t·1000/T).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, brief, stderrLog, tf } from '@dlm/core';
import { gradientControl } from '@dlm/samplers';
import { drawSamples, writeSamples, type SampleCommandOptions, type SampleInfo } from '../run-sample.ts';
import { openClassifierRun } from './classifier-run.ts';
import { openDiffusionRun } from './diffusion-run.ts';

export interface ControlFlags {
  /** The control-classifier run directory (`--control`). */
  classifierRun: string;
  /** A label of its attribute (`--control-target`). */
  target: string;
  /** λ: weight of −log p(c | x) against the fluency term (`--control-weight`). */
  weight: number;
  /** K: gradient steps per chain step (`--control-steps`). */
  steps: number;
  /** The signed step size (Adagrad lr; `--control-step-size`). */
  stepSize: number;
}

/** langevin_fn3's settings: coef 0.01 (λ = 100), K = 3, Adagrad lr 0.1 (gradient-control.ts). */
export const CONTROL_DEFAULTS = { weight: 100, steps: 3, stepSize: 0.1 } as const;

export interface RateWithError {
  successes: number;
  n: number;
  rate: number;
  /** Binomial standard error sqrt(rate·(1 − rate)/n). */
  stderr: number;
}

export function successRate(labels: ArrayLike<number>, target: number): RateWithError {
  const n = labels.length;
  const successes = Array.from(labels).filter((l) => l === target).length;
  const rate = n ? successes / n : NaN;
  return { successes, n, rate, stderr: Math.sqrt((rate * (1 - rate)) / n) };
}

export interface ControlReport {
  run: string;
  classifier: string;
  attribute: string;
  labels: string[];
  target: string;
  sampler: string;
  steps: number;
  num: number;
  seed: number;
  weight: number;
  control_steps: number;
  step_size: number;
  /** Chain steps k below this were not controlled. */
  skip_below: number;
  without: RateWithError;
  with: RateWithError;
  difference: number;
  difference_stderr: number;
  z: number;
  nfe: number;
  seconds: { without: number; with: number };
  /** Share of each label among the samples, without and with control. */
  label_shares: { without: number[]; with: number[] };
  files: { without: string; with: string; report: string };
}

export interface ControlSampleResult {
  report: ControlReport;
  without: SampleInfo;
  with: SampleInfo;
}

function checkFlags(f: ControlFlags): void {
  const op = 'sample --control';
  if (!(Number.isFinite(f.weight) && f.weight >= 0))
    throw new ConfigError({ op, arg: '--control-weight', expected: 'a number ≥ 0 (λ)', got: brief(f.weight) });
  if (!(Number.isInteger(f.steps) && f.steps >= 1))
    throw new ConfigError({ op, arg: '--control-steps', expected: 'an integer ≥ 1 (K)', got: brief(f.steps) });
  if (!(Number.isFinite(f.stepSize) && f.stepSize > 0))
    throw new ConfigError({ op, arg: '--control-step-size', expected: 'a number > 0', got: brief(f.stepSize) });
}

export async function runControlSample(
  o: SampleCommandOptions & { control: ControlFlags },
): Promise<ControlSampleResult> {
  const log = o.log ?? stderrLog;
  const f = o.control;
  checkFlags(f);
  const op = 'sample --control';
  const sets = o.sampler !== undefined ? [`sampling.predictor=${o.sampler}`] : [];
  const base = await openDiffusionRun(o.runDir, {
    op,
    arg: 'run',
    sets,
    ema: !o.noEma,
    checkpoint: o.checkpoint,
    log,
  });
  try {
    const cls = openClassifierRun(f.classifierRun, base);
    try {
      const target = cls.attribute.labels.indexOf(f.target);
      if (target < 0) {
        const expected = `a label of ${cls.attribute.name}: one of ${cls.attribute.labels.join(', ')}`;
        throw new ConfigError({ op, arg: '--control-target', expected, got: brief(f.target) });
      }
      const s = base.session;
      const c = s.config;
      const steps = o.steps ?? c.sampling.steps;
      const skipBelow = Math.round(steps / 20);
      const num = o.num ?? c.sampling.num_samples;
      const common = {
        predictor: c.sampling.predictor,
        steps,
        num,
        length: o.length ?? c.sampling.length ?? s.length,
        raw: o.raw,
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
      };
      const nll = (x: tf.Tensor3D, timestep: number) =>
        tf.tidy(() => {
          const B = x.shape[0];
          const modelT = base.process.modelTimesteps(new Int32Array(B).fill(timestep));
          return cls.net.nll(x, tf.tensor1d(Float32Array.from(modelT)), new Int32Array(B).fill(target));
        });
      const control = gradientControl({ nll, weight: f.weight, steps: f.steps, stepSize: f.stepSize, skipBelow });
      log(
        `sampling ${num} without control, then with ${cls.attribute.name} = ${f.target} (λ ${f.weight}, K ${f.steps}, step ${f.stepSize})`,
      );
      const without = drawSamples(s, base.model, common, base.checkpointStep);
      const withC = drawSamples(s, base.model, { ...common, control }, base.checkpointStep);
      const judge = (info: SampleInfo) => Int32Array.from(info.texts, (t) => cls.attribute.label(t));
      const lw = judge(without);
      const lc = judge(withC);
      const rw = successRate(lw, target);
      const rc = successRate(lc, target);
      const se = Math.sqrt(rw.stderr ** 2 + rc.stderr ** 2);
      const shares = (l: Int32Array) => cls.attribute.labels.map((_, i) => successRate(l, i).rate);
      const tag = `control-${cls.attribute.name}-${f.target}`.replace(/[^A-Za-z0-9._-]/g, '_');
      const fileWithout = writeSamples(o.runDir, `${tag}-off`, s, without);
      const knobs = `w${f.weight}-k${f.steps}-s${f.stepSize}`;
      const fileWith = writeSamples(o.runDir, `${tag}-${knobs}`, s, withC);
      const dir = join(o.runDir, 'samples');
      mkdirSync(dir, { recursive: true });
      const reportFile = join(dir, `${tag}-${knobs}-${without.sampler}-${steps}steps-seed${without.seed}.report.json`);
      const report: ControlReport = {
        run: o.runDir,
        classifier: f.classifierRun,
        attribute: cls.attribute.name,
        labels: cls.attribute.labels,
        target: f.target,
        sampler: without.sampler,
        steps,
        num,
        seed: without.seed,
        weight: f.weight,
        control_steps: f.steps,
        step_size: f.stepSize,
        skip_below: skipBelow,
        without: rw,
        with: rc,
        difference: rc.rate - rw.rate,
        difference_stderr: se,
        z: (rc.rate - rw.rate) / se,
        nfe: withC.nfe,
        seconds: { without: without.seconds, with: withC.seconds },
        label_shares: { without: shares(lw), with: shares(lc) },
        files: { without: fileWithout, with: fileWith, report: reportFile },
      };
      writeFileSync(reportFile, `${JSON.stringify(report, null, 1)}\n`);
      return { report, without, with: withC };
    } finally {
      cls.dispose();
    }
  } finally {
    base.dispose();
  }
}

/** The report as lines for people. */
export function formatControlReport(r: ControlReport): string[] {
  const pct = (x: RateWithError) =>
    `${(100 * x.rate).toFixed(1)}% ± ${(100 * x.stderr).toFixed(1)}% (${x.successes}/${x.n})`;
  return [
    `attribute ${r.attribute} = ${r.target} (judged by its rule on the decoded text), ${r.num} samples, ${r.sampler} ${r.steps} steps, seed ${r.seed}`,
    `  without control: ${pct(r.without)}`,
    `  with control (λ ${r.weight}, K ${r.control_steps}, step ${r.step_size}): ${pct(r.with)}`,
    `  difference ${(100 * r.difference).toFixed(1)} points ± ${(100 * r.difference_stderr).toFixed(1)} (z = ${r.z.toFixed(2)})`,
    `  report → ${r.files.report}`,
  ];
}
