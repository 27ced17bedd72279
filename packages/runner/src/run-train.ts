// `dlm train`: experiment → data → run directory → training (progress line, metrics,
// checkpoints) → samples → plot, Arrow metrics and summary.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stderrLog } from '@dlm/core';
import { BlockLoader, type LoaderState } from '@dlm/data';
import { createRunDir, newRunDir } from './run-dir.ts';
import { openSession, resolvedYamlOf, type Session } from './session.ts';
import { Progress } from './progress.ts';
import { train, type TrainOptions } from './train-loop.ts';
import { sampleWithModel, writeSamples } from './run-sample.ts';
import { writeReport } from './report.ts';
import { validationBatches } from './validation.ts';

export interface TrainCommandOptions {
  /** Experiment YAML (new run). */
  file?: string;
  /** Continue this run directory (its resolved.yaml is the config). */
  resume?: string;
  /** Put a new run here instead of <runs_dir>/<name>-<time>. */
  runDir?: string;
  sets?: readonly string[];
  argv: readonly string[];
  /** Skip the samples at the end (tests). */
  noSamples?: boolean;
  log?: (line: string) => void;
  progress?: Progress;
}

export function trainOptionsOf(s: Session): TrainOptions {
  const c = s.config;
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

export async function runTrain(o: TrainCommandOptions): Promise<{ runDir: string; finalLoss: number }> {
  const log = o.log ?? stderrLog;
  const file = o.resume ? resolvedYamlOf(o.resume) : o.file!;
  const s = await openSession({ file, sets: o.resume ? [] : (o.sets ?? []), log });
  const c = s.config;
  const trainBlocks = s.data.blocks('train');
  const loaderOpts = { batchSize: c.loader.batch_size };
  const train0 = new BlockLoader(trainBlocks, loaderOpts, s.rng.split('data'));
  const val = validationBatches(s);
  const runDir = o.resume ?? o.runDir ?? newRunDir(c.runs_dir, c.name);
  // Built before the run directory: the family's own checks (vocabulary, specials) fail first.
  const model = s.build();
  try {
    if (!o.resume) createRunDir(runDir, { resolvedYaml: s.resolvedYaml, argv: o.argv, tokenizerState: s.data.tokenizer.state() });
    log(`run ${runDir}: ${c.family.name} on ${c.data.dataset} (${c.data.tokenizer.name}, vocab ${s.vocab.size}), ${model.params.numParams().toLocaleString('en-US')} parameters, ${trainBlocks.rows} train blocks of ${s.length}`);
    const progress = o.progress ?? Progress.stdout(c.trainer.log_every_n_steps);
    const started = performance.now();
    const r = await train(
      {
        runDir,
        model,
        train: train0,
        restoreTrain: (st: LoaderState) => BlockLoader.restore(trainBlocks, loaderOpts, st),
        valBatches: val,
        rng: s.rng,
        resume: Boolean(o.resume),
        hooks: {
          onStep: (row) => progress.update({ step: row.step, totalSteps: c.trainer.max_steps, loss: row.loss as number, tokensPerSec: row.tokens_per_sec as number, lr: row.lr as number }),
          onEval: (row) => progress.log(`step ${row.step}: validation NELBO ${(row.nll as number).toFixed(4)} nats/token (ppl ≤ ${(row.ppl as number).toFixed(2)})`),
        },
      },
      trainOptionsOf(s),
    );
    progress.end();
    const trainSeconds = (performance.now() - started) / 1000;
    let sampleInfo: Awaited<ReturnType<typeof sampleWithModel>> | undefined;
    if (!o.noSamples) {
      sampleInfo = await sampleWithModel(s, model, runDir, { predictor: c.sampling.predictor, steps: c.sampling.steps, num: c.sampling.num_samples, length: c.sampling.length ?? s.length, useEma: true });
      const path = writeSamples(runDir, 'final', s, sampleInfo);
      log(`samples (${sampleInfo.sampler}, ${sampleInfo.steps} steps, NFE ${sampleInfo.nfe}, ${sampleInfo.tokensPerSec.toFixed(0)} tokens/s) → ${path}`);
      for (const t of sampleInfo.texts.slice(0, 2)) log(`  > ${t.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    writeReport(runDir, s, { trainSeconds, finalLoss: r.lastLoss, val: r.lastVal, sample: sampleInfo });
    writeFileSync(join(runDir, 'DONE'), `${new Date().toISOString()}\n`);
    return { runDir, finalLoss: r.lastLoss };
  } finally {
    model.dispose();
  }
}
