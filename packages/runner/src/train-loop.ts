// The training loop, generic over families (FamilyModel). Per optimizer step:
//   for each of `accumulate` micro-batches: loss, grads ← valueAndGrads(trainLoss)  (summed)
//   grads /= accumulate;  clip to `gradClip` (global L2);  AdamW at lr·schedule(step);  EMA
// Randomness: the loss of step s, micro-batch k draws from rng.split(`step-${s}`).split(`micro-${k}`),
// so it depends on (seed, step) only and a resumed run draws exactly the same numbers; the data
// order comes from the loader's own saved state. Validation batches are fixed (the first
// `evalBatches` of the validation split) with a fixed Rng, so validation numbers are comparable
// across steps and runs.
import { join } from 'node:path';
import { AdamW, ConfigError, DlmError, clipGradNorm, tf, type Nd, type Rng } from '@dlm/core';
import type { FamilyModel, TokenBatch } from '@dlm/models';
import { Ema } from './ema.ts';
import { lrMultiplier, type LrDecay } from './lr-schedule.ts';
import { MetricsLog, type MetricRow } from './metrics.ts';
import { latestCheckpointDir, saveCheckpoint } from './checkpoint.ts';
import { chooseCheckpoint } from './checkpoint-choice.ts';
import { estimateNll, type NllEstimate } from '@dlm/eval';

export class TrainingDivergedError extends DlmError {}

export interface TrainOptions {
  steps: number;
  accumulate: number;
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  warmupSteps: number;
  decay: LrDecay;
  minLrRatio: number;
  /** Global-norm clip; 0 turns clipping off. */
  gradClip: number;
  /** EMA decay; 0 turns EMA off. */
  ema: number;
  logEvery: number;
  evalEvery: number;
  checkpointEvery: number;
  keepCheckpoints: number;
}

/** Anything that hands out batches and can be put back exactly where it was (BlockLoader). */
/** What a loader hands out: [B, L] ids, optional padding mask and (SFT pairs) prompt mask. */
export interface LoaderBatch {
  tokens: Int32Array;
  shape: [number, number];
  attentionMask?: Uint8Array;
  /** [B, L] 1 = prompt position (PairLoader). */
  promptMask?: Uint8Array;
}

export interface BatchSource<S = unknown> {
  next(): LoaderBatch;
  state(): S;
}

export interface TrainHooks {
  onStep?(row: MetricRow): void;
  onEval?(row: MetricRow): void;
  onCheckpoint?(dir: string, step: number): void;
  /** After every step, its validation and checkpoint included (`last`: the final step of this call). */
  afterStep?(step: number, last: boolean): void;
}

/** What the loop trains: a family model, or anything with parameters, a loss and a per-row NLL (a classifier). */
export type TrainableModel = Pick<FamilyModel, 'params' | 'trainLoss' | 'nll'>;

export interface TrainContext<S> {
  runDir: string;
  model: TrainableModel;
  train: BatchSource<S>;
  /** Rebuilds the train loader at a saved state (resume). */
  restoreTrain(state: S): BatchSource<S>;
  /** Fixed validation batches; empty → no validation. */
  valBatches: readonly TokenBatch[];
  /**
   * Replaces the NELBO of the validation rows with these numbers (an attribute classifier: its CE and accuracy),
   * computed with the EMA weights when there are any.
   */
  validate?: (() => Record<string, number>) | undefined;
  /** The run's root Rng (its `train` and `eval` splits are used). */
  rng: Rng;
  /** Continue from the run's latest checkpoint. */
  resume: boolean;
  /** `--checkpoint <step|dir>` to resume from instead of the latest good one. */
  checkpoint?: string | undefined;
  /** Checked after every step: true → write a checkpoint and stop (SIGINT / SIGTERM). */
  shouldStop?: (() => boolean) | undefined;
  log?: ((line: string) => void) | undefined;
  hooks?: TrainHooks;
}

export interface TrainResult {
  step: number;
  lastLoss: number;
  lastVal?: NllEstimate | undefined;
  tokensPerSec: number;
  /** Stopped early by shouldStop (a checkpoint at `step` was written). */
  interrupted: boolean;
}

interface SavedState<S> {
  loader: S;
  adamSteps: Record<string, number>;
  lastLoss: number;
}

export function toTokenBatch(b: LoaderBatch): TokenBatch {
  const ids: Nd<Int32Array> = { data: b.tokens, shape: b.shape };
  return {
    ids,
    ...(b.attentionMask ? { attention: { data: b.attentionMask, shape: b.shape } } : {}),
    ...(b.promptMask ? { promptMask: { data: b.promptMask, shape: b.shape } } : {}),
  };
}

function checkOptions(o: TrainOptions): void {
  const ints: (keyof TrainOptions)[] = [
    'steps',
    'accumulate',
    'logEvery',
    'evalEvery',
    'checkpointEvery',
    'keepCheckpoints',
  ];
  for (const k of ints) {
    const v = o[k] as number;
    if (!(Number.isInteger(v) && v >= 1))
      throw new ConfigError({ op: 'train', arg: String(k), expected: 'a positive integer', got: String(v) });
  }
  if (!(o.ema >= 0 && o.ema < 1))
    throw new ConfigError({ op: 'train', arg: 'ema', expected: 'a decay in [0, 1)', got: String(o.ema) });
}

/** What one run of the loop carries from step to step. */
interface RunState<S> {
  opt: AdamW;
  ema: Ema | undefined;
  metrics: MetricsLog;
  ckRoot: string;
  source: BatchSource<S>;
  step: number;
  lastLoss: number;
}

/** Optimizer, EMA and metrics for a fresh run (step 0). */
function startRun<S>(ctx: TrainContext<S>, o: TrainOptions): RunState<S> {
  const params = ctx.model.params.trainable();
  return {
    opt: new AdamW(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay }),
    ema: o.ema > 0 ? new Ema(params, o.ema) : undefined,
    metrics: new MetricsLog(join(ctx.runDir, 'metrics.jsonl')),
    ckRoot: join(ctx.runDir, 'checkpoints'),
    source: ctx.train,
    step: 0,
    lastLoss: NaN,
  };
}

/** Resume: weights, Adam moments, EMA shadow, loader position and metrics rows after the latest checkpoint. */
function resumeRun<S>(ctx: TrainContext<S>, run: RunState<S>): void {
  const ck = chooseCheckpoint<SavedState<S>>(run.ckRoot, ctx.checkpoint, ctx.log);
  if (!ck) {
    ctx.log?.(`no checkpoint in ${run.ckRoot} yet: training from step 0`);
    run.metrics.truncateAfter(0);
    return;
  }
  ctx.model.params.load(ck.model);
  const adam = new Map([...ck.optimizer].filter(([k]) => !k.startsWith('ema.')));
  run.opt.importState({ steps: ck.state.adamSteps, tensors: adam });
  run.ema?.load(ck.optimizer);
  run.source = ctx.restoreTrain(ck.state.loader);
  run.step = ck.step;
  run.lastLoss = ck.state.lastLoss;
  run.metrics.truncateAfter(run.step);
}

function saveRun<S>(ctx: TrainContext<S>, run: RunState<S>, keep: number): void {
  const adam = run.opt.exportState();
  const optimizer = new Map([...adam.tensors, ...(run.ema ? run.ema.stateDict() : [])]);
  const state: SavedState<S> = { loader: run.source.state(), adamSteps: adam.steps, lastLoss: run.lastLoss };
  const model = ctx.model.params.stateDict();
  const dir = saveCheckpoint(run.ckRoot, { step: run.step, model, optimizer, state }, keep);
  ctx.hooks?.onCheckpoint?.(dir, run.step);
}

/** The bound on the fixed validation batches, with the EMA weights when there are any. */
function validate<S>(ctx: TrainContext<S>, run: RunState<S>): NllEstimate | undefined {
  if (ctx.valBatches.length === 0) return undefined;
  const estimate = () => estimateNll(ctx.model, ctx.valBatches, ctx.rng.split('eval'), 1);
  return run.ema ? run.ema.withShadow(estimate) : estimate();
}

/** Adds `grads` into `summed` (disposing what it replaces); returns the sum. */
function addGrads(summed: Map<string, tf.Tensor> | undefined, grads: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  if (!summed) return grads;
  for (const [n, g] of grads) {
    const prev = summed.get(n);
    summed.set(n, prev ? tf.tidy(() => tf.add(prev, g)) : g);
    if (prev) {
      prev.dispose();
      g.dispose();
    }
  }
  return summed;
}

/**
 * The gradients of one optimizer step: `accumulate` micro-batches, each drawing from
 * stepRng.split(`micro-${k}`), summed then divided by `accumulate`. A non-finite loss throws
 * TrainingDivergedError (after disposing every gradient).
 */
async function accumulateGrads<S>(
  ctx: TrainContext<S>,
  run: RunState<S>,
  o: TrainOptions,
  stepRng: Rng,
): Promise<{ grads: Map<string, tf.Tensor>; loss: number; tokens: number }> {
  const { model } = ctx;
  let lossSum = 0;
  let tokens = 0;
  let summed: Map<string, tf.Tensor> | undefined;
  for (let k = 0; k < o.accumulate; k++) {
    const batch = toTokenBatch(run.source.next());
    tokens += batch.ids.data.length;
    const microRng = stepRng.split(`micro-${k}`);
    const { value, grads } = model.params.valueAndGrads(() => model.trainLoss(batch, microRng));
    const v = (await value.data())[0]!;
    value.dispose();
    if (!Number.isFinite(v)) {
      for (const g of grads.values()) g.dispose();
      summed?.forEach((g) => g.dispose());
      throw new TrainingDivergedError(
        { op: 'train', arg: `loss at step ${run.step + 1}`, expected: 'a finite number', got: String(v) },
        `diverged; the last good checkpoint is kept (${latestCheckpointDir(run.ckRoot) ?? 'none written yet'})`,
      );
    }
    lossSum += v;
    summed = addGrads(summed, grads);
  }
  let grads = summed!;
  if (o.accumulate > 1) {
    const scaled = new Map<string, tf.Tensor>();
    for (const [n, g] of grads) {
      scaled.set(
        n,
        tf.tidy(() => tf.div(g, o.accumulate)),
      );
      g.dispose();
    }
    grads = scaled;
  }
  return { grads, loss: lossSum / o.accumulate, tokens };
}

/** Clip (global L2 norm), AdamW at lr·schedule(step), EMA; disposes the gradients. */
function applyGrads<S>(
  run: RunState<S>,
  o: TrainOptions,
  grads: Map<string, tf.Tensor>,
): { lr: number; gradNorm: number } {
  let gradNorm = NaN;
  if (o.gradClip > 0) {
    const c = clipGradNorm(grads, o.gradClip);
    gradNorm = c.totalNorm;
    for (const g of grads.values()) g.dispose();
    grads = c.grads;
  }
  const schedule = { warmupSteps: o.warmupSteps, totalSteps: o.steps, decay: o.decay, minRatio: o.minLrRatio };
  const lr = o.lr * lrMultiplier(run.step, schedule);
  run.opt.step(grads, lr);
  for (const g of grads.values()) g.dispose();
  run.ema?.update();
  return { lr, gradNorm };
}

/** Tokens/s over the steps since the last train row. */
class Throughput {
  private tokens = 0;
  private start = performance.now();
  perSec = 0;

  add(tokens: number): void {
    this.tokens += tokens;
  }

  /** Closes the window: tokens/s since the last call. */
  lap(): number {
    const now = performance.now();
    this.perSec = (this.tokens / (now - this.start)) * 1000;
    this.tokens = 0;
    this.start = now;
    return this.perSec;
  }
}

export async function train<S>(ctx: TrainContext<S>, o: TrainOptions): Promise<TrainResult> {
  checkOptions(o);
  const run = startRun(ctx, o);
  try {
    if (ctx.resume) resumeRun(ctx, run);
    const trainRng = ctx.rng.split('train');
    const speed = new Throughput();
    let lastVal: NllEstimate | undefined;
    while (run.step < o.steps) {
      const { grads, loss, tokens } = await accumulateGrads(ctx, run, o, trainRng.split(`step-${run.step}`));
      const { lr, gradNorm } = applyGrads(run, o, grads);
      run.step++;
      run.lastLoss = loss;
      speed.add(tokens);
      const last = run.step === o.steps;
      if (run.step % o.logEvery === 0 || last) {
        const row: MetricRow = { step: run.step, split: 'train', loss, lr, tokens_per_sec: speed.lap() };
        if (Number.isFinite(gradNorm)) row.grad_norm = gradNorm;
        run.metrics.append(row);
        ctx.hooks?.onStep?.(row);
      }
      if ((run.step % o.evalEvery === 0 || last) && ctx.validate) {
        const fields = run.ema ? run.ema.withShadow(ctx.validate) : ctx.validate();
        const row: MetricRow = { step: run.step, split: 'val', ...fields };
        run.metrics.append(row);
        ctx.hooks?.onEval?.(row);
      } else if (run.step % o.evalEvery === 0 || last) {
        lastVal = validate(ctx, run);
        if (lastVal) {
          const row: MetricRow = {
            step: run.step,
            split: 'val',
            nll: lastVal.natsPerToken,
            ppl: lastVal.perplexity,
            bpt: lastVal.bitsPerToken,
            nll_stderr: lastVal.stderrNatsPerToken,
          };
          run.metrics.append(row);
          ctx.hooks?.onEval?.(row);
        }
      }
      // Let the event loop run (signal handlers, I/O): the awaits above may all resolve as
      // microtasks, which would starve a SIGINT listener for the whole run.
      if (ctx.shouldStop) await new Promise((r) => setImmediate(r));
      const stop = !last && (ctx.shouldStop?.() ?? false);
      if (run.step % o.checkpointEvery === 0 || last || stop) saveRun(ctx, run, o.keepCheckpoints);
      ctx.hooks?.afterStep?.(run.step, last || stop);
      if (stop)
        return { step: run.step, lastLoss: run.lastLoss, lastVal, tokensPerSec: speed.perSec, interrupted: true };
    }
    return { step: run.step, lastLoss: run.lastLoss, lastVal, tokensPerSec: speed.perSec, interrupted: false };
  } finally {
    run.opt.dispose();
    run.ema?.dispose();
  }
}
