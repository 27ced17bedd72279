// `dlm train`: experiment → data → run directory → training (progress line, metrics,
// checkpoints) → samples → plot, Arrow metrics and summary.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { ConfigError, stderrLog, tf } from '@dlm/core';
import { checkResumeData, writeDataRecord, type LoaderState } from '@dlm/data';
import { checkStepMemory, likelihoodWords, stepMemoryInputOf } from '@dlm/models';
import { createRunDir, newRunDir } from './run-dir.ts';
import { openSession, resolvedYamlOf, type Session } from './session.ts';
import type { Experiment } from './experiment.ts';
import { Progress, progressOnStep } from './progress.ts';
import { train, type TrainOptions } from './train-loop.ts';
import { sampleWithModel, writeSamples } from './run-sample.ts';
import { writeReport } from './report.ts';
import { latestCheckpointDir } from './checkpoint.ts';
import { chooseCheckpoint } from './checkpoint-choice.ts';
import { validationBatches } from './validation.ts';
import { trainSourceOf } from './train-source.ts';
import { listenForStop, type StopSignal } from './interrupt.ts';
import { checkResumeSets, extensionOf, formatExtension, recordExtension } from './resume.ts';
import { isAlive, readRunState, writeRunState } from './run-state.ts';
import { warmStart } from './warm-start.ts';
import { LeakWatch } from './leak-check.ts';

export interface TrainCommandOptions {
  /** Experiment YAML (new run). */
  file?: string;
  /** Continue this run directory (its resolved.yaml is the config). */
  resume?: string;
  /** With resume: the checkpoint to continue from (a step or a directory); default the latest good one. */
  checkpoint?: string;
  /** Put a new run here instead of <runs_dir>/<name>-<time>. */
  runDir?: string;
  sets?: readonly string[];
  argv: readonly string[];
  /** Skip the samples at the end (tests). */
  noSamples?: boolean;
  /** Print tf.memory's tensor count every this many steps and whether it grew (LeakWatch). */
  checkLeaks?: number;
  log?: (line: string) => void;
  progress?: Progress;
}

export function trainOptionsOf(s: Session): TrainOptions {
  return trainOptionsFrom(s.config);
}

/** The loop's options from the training sections of any kind of experiment. */
export function trainOptionsFrom(c: Pick<Experiment, 'trainer' | 'optim' | 'lr_scheduler'>): TrainOptions {
  return {
    steps: c.trainer.max_steps,
    accumulate: c.trainer.accumulate_grad_batches,
    lr: c.optim.lr,
    betas: [c.optim.beta1, c.optim.beta2],
    eps: c.optim.eps,
    weightDecay: c.optim.weight_decay,
    warmupSteps: c.lr_scheduler.warmup_steps,
    decay: c.lr_scheduler.decay,
    minLrRatio: c.lr_scheduler.min_lr_ratio,
    gradClip: c.trainer.gradient_clip_val,
    ema: c.trainer.ema,
    logEvery: c.trainer.log_every_n_steps,
    evalEvery: c.trainer.val_check_interval,
    checkpointEvery: c.trainer.checkpoint_every,
    keepCheckpoints: c.trainer.keep_checkpoints,
  };
}

export interface TrainCommandResult {
  runDir: string;
  finalLoss: number;
  /** The signal that stopped the run (a checkpoint was written), if any. */
  interrupted?: StopSignal | undefined;
  /** `--resume` of a run that had already reached max_steps: nothing was changed. */
  alreadyFinished?: boolean | undefined;
}

/** The completed steps of a run: its latest checkpoint's step (0 without one). */
function completedSteps(runDir: string): number {
  const dir = latestCheckpointDir(join(runDir, 'checkpoints'));
  return dir ? Number(/step-(\d+)$/.exec(dir)![1]) : 0;
}

export async function runTrain(o: TrainCommandOptions): Promise<TrainCommandResult> {
  const log = o.log ?? stderrLog;
  const sets = o.sets ?? [];
  if (o.resume) checkResumeSets(sets);
  const file = o.resume ? resolvedYamlOf(o.resume) : o.file!;
  const s = await openSession({ file, sets, log });
  const c = s.config;
  if (o.resume) {
    // Load (and sha256-check) the checkpoint to resume from before anything in the run is rewritten.
    const ck = chooseCheckpoint(join(o.resume, 'checkpoints'), o.checkpoint, () => {});
    const done = ck?.step ?? 0;
    const old = readRunState(o.resume);
    if (old?.state === 'running' && old.pid !== process.pid && isAlive(old.pid)) {
      throw new ConfigError(
        { op: 'train --resume', arg: o.resume, expected: 'a run no other process is training' },
        `is being trained by pid ${old.pid}`,
      );
    }
    const oldMax = (parseYaml(readFileSync(file, 'utf8')) as { trainer: { max_steps: number } }).trainer.max_steps;
    if (done >= c.trainer.max_steps) {
      log(`run ${o.resume} already finished: ${done} of ${c.trainer.max_steps} steps done; nothing changed.`);
      log(`to train longer: dlm train --resume ${o.resume} --set trainer.max_steps=<more than ${done}>`);
      return { runDir: o.resume, finalLoss: NaN, alreadyFinished: true };
    }
    if (c.trainer.max_steps !== oldMax) {
      const ext = extensionOf(c, done, oldMax, c.trainer.max_steps, sets);
      log(formatExtension(ext));
      recordExtension(o.resume, ext);
    }
    if (sets.length) writeFileSync(join(o.resume, 'resolved.yaml'), s.resolvedYaml);
  }
  const source = trainSourceOf(s);
  const val = validationBatches(s);
  const model = s.build();
  try {
    // Fail now (before a run directory exists), not with a wasm abort mid-run.
    const stepInput = {
      family: c.family,
      model: c.model,
      params: model.params.numParams(),
      batch: c.loader.batch_size,
      length: s.length,
      vocab: s.vocab.size,
    };
    checkStepMemory(stepMemoryInputOf(stepInput), tf.getBackend());
    if (c.trainer.init_from !== undefined && !o.resume)
      warmStart(model, c.trainer.init_from, s.data.tokenizer.state(), log);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const runDir = o.resume ?? o.runDir ?? newRunDir(c.runs_dir, c.name);
  if (!o.resume)
    createRunDir(runDir, { resolvedYaml: s.resolvedYaml, argv: o.argv, tokenizerState: s.data.tokenizer.state() });
  if (o.resume) checkResumeData(runDir, s.data.record, log);
  else writeDataRecord(runDir, s.data.record);
  const maxSteps = c.trainer.max_steps;
  const words = likelihoodWords(s.family);
  writeRunState(runDir, { state: 'running', step: o.resume ? completedSteps(runDir) : 0, maxSteps });
  const progress = o.progress ?? Progress.stdout(c.trainer.log_every_n_steps);
  const stop = listenForStop({
    onFirst: (sig) =>
      progress.log(
        `${sig}: finishing the current step, then writing a checkpoint (${sig === 'SIGINT' ? 'Ctrl-C' : sig} again exits at once)`,
      ),
  });
  try {
    log(
      `run ${runDir}: ${c.family.name} on ${c.data.dataset} (${c.data.tokenizer.name}, vocab ${s.vocab.size}), ${model.params.numParams().toLocaleString('en-US')} parameters, ${source.rows} train ${s.pairs ? 'pairs' : 'blocks'} of ${s.length}`,
    );
    const leaks = o.checkLeaks !== undefined ? new LeakWatch(o.checkLeaks, (l) => progress.log(l)) : undefined;
    const started = performance.now();
    const r = await train(
      {
        runDir,
        model,
        train: source.first,
        restoreTrain: (st: LoaderState) => source.restore(st),
        valBatches: val,
        rng: s.rng,
        resume: Boolean(o.resume),
        checkpoint: o.checkpoint,
        shouldStop: () => stop.requested !== undefined,
        log: (l) => progress.log(l),
        hooks: {
          onStep: progressOnStep(progress, maxSteps),
          onEval: (row) =>
            progress.log(
              words.relation === undefined
                ? `step ${row.step}: validation ${words.name} ${(row.nll as number).toFixed(4)} per token`
                : `step ${row.step}: validation ${words.name} ${(row.nll as number).toFixed(4)} nats/token (ppl ${words.relation} ${(row.ppl as number).toFixed(2)})`,
            ),
          ...(leaks ? { afterStep: (step: number, last: boolean) => leaks.afterStep(step, last) } : {}),
        },
      },
      trainOptionsOf(s),
    );
    progress.end();
    if (leaks) log(leaks.summary());
    const trainSeconds = (performance.now() - started) / 1000;
    if (r.interrupted) {
      const sig = stop.requested ?? 'SIGINT';
      writeReport(runDir, s, { trainSeconds, finalLoss: r.lastLoss, val: r.lastVal });
      writeRunState(runDir, { state: 'interrupted', step: r.step, maxSteps, signal: sig });
      log(
        `interrupted by ${sig} at step ${r.step} of ${maxSteps}: checkpoint written. Resume with: dlm train --resume ${runDir}`,
      );
      return { runDir, finalLoss: r.lastLoss, interrupted: sig };
    }
    let sampleInfo: Awaited<ReturnType<typeof sampleWithModel>> | undefined;
    if (!o.noSamples) {
      sampleInfo = await sampleWithModel(s, model, runDir, {
        predictor: c.sampling.predictor,
        steps: c.sampling.steps,
        num: c.sampling.num_samples,
        length: c.sampling.length ?? s.length,
        useEma: true,
      });
      const path = writeSamples(runDir, 'final', s, sampleInfo);
      log(
        `samples (${sampleInfo.sampler}, ${sampleInfo.stepsLabel}, NFE ${sampleInfo.nfe}, ${sampleInfo.tokensPerSec.toFixed(0)} tokens/s) → ${path}`,
      );
      for (const t of sampleInfo.texts.slice(0, 2)) log(`  > ${t.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    writeReport(runDir, s, { trainSeconds, finalLoss: r.lastLoss, val: r.lastVal, sample: sampleInfo });
    writeRunState(runDir, { state: 'done', step: r.step, maxSteps });
    return { runDir, finalLoss: r.lastLoss };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    writeRunState(runDir, {
      state: 'failed',
      step: completedSteps(runDir),
      maxSteps,
      error: `${err.name}: ${err.message}`,
    });
    throw e;
  } finally {
    stop.dispose();
    model.dispose();
  }
}
