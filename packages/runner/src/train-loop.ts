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
export interface BatchSource<S = unknown> {
  next(): { tokens: Int32Array; shape: [number, number]; attentionMask?: Uint8Array };
  state(): S;
}

export interface TrainHooks {
  onStep?(row: MetricRow): void;
  onEval?(row: MetricRow): void;
  onCheckpoint?(dir: string, step: number): void;
}

export interface TrainContext<S> {
  runDir: string;
  model: FamilyModel;
  train: BatchSource<S>;
  /** Rebuilds the train loader at a saved state (resume). */
  restoreTrain(state: S): BatchSource<S>;
  /** Fixed validation batches; empty → no validation. */
  valBatches: readonly TokenBatch[];
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

export function toTokenBatch(b: { tokens: Int32Array; shape: [number, number]; attentionMask?: Uint8Array }): TokenBatch {
  const ids: Nd<Int32Array> = { data: b.tokens, shape: b.shape };
  return b.attentionMask ? { ids, attention: { data: b.attentionMask, shape: b.shape } } : { ids };
}

function checkOptions(o: TrainOptions): void {
  const ints: (keyof TrainOptions)[] = ['steps', 'accumulate', 'logEvery', 'evalEvery', 'checkpointEvery', 'keepCheckpoints'];
  for (const k of ints) {
    const v = o[k] as number;
    if (!(Number.isInteger(v) && v >= 1)) throw new ConfigError({ op: 'train', arg: String(k), expected: 'a positive integer', got: String(v) });
  }
  if (!(o.ema >= 0 && o.ema < 1)) throw new ConfigError({ op: 'train', arg: 'ema', expected: 'a decay in [0, 1)', got: String(o.ema) });
}

export async function train<S>(ctx: TrainContext<S>, o: TrainOptions): Promise<TrainResult> {
  checkOptions(o);
  const { model } = ctx;
  const params = model.params.trainable();
  const opt = new AdamW(params, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay });
  const ema = o.ema > 0 ? new Ema(params, o.ema) : undefined;
  const metrics = new MetricsLog(join(ctx.runDir, 'metrics.jsonl'));
  const ckRoot = join(ctx.runDir, 'checkpoints');
  let source = ctx.train;
  let step = 0;
  let lastLoss = NaN;
  let lastVal: NllEstimate | undefined;

  if (ctx.resume) {
    const ck = chooseCheckpoint<SavedState<S>>(ckRoot, ctx.checkpoint, ctx.log);
    if (!ck) {
      ctx.log?.(`no checkpoint in ${ckRoot} yet: training from step 0`);
      metrics.truncateAfter(0);
    }
    if (ck) {
      model.params.load(ck.model);
      const adam = new Map([...ck.optimizer].filter(([k]) => !k.startsWith('ema.')));
      opt.importState({ steps: ck.state.adamSteps, tensors: adam });
      ema?.load(ck.optimizer);
      source = ctx.restoreTrain(ck.state.loader);
      step = ck.step;
      lastLoss = ck.state.lastLoss;
      metrics.truncateAfter(step);
    }
  }

  const save = (): void => {
    const adam = opt.exportState();
    const optimizer = new Map([...adam.tensors, ...(ema ? ema.stateDict() : [])]);
    const state: SavedState<S> = { loader: source.state(), adamSteps: adam.steps, lastLoss };
    const dir = saveCheckpoint(ckRoot, { step, model: model.params.stateDict(), optimizer, state }, o.keepCheckpoints);
    ctx.hooks?.onCheckpoint?.(dir, step);
  };

  const validate = (): NllEstimate | undefined => {
    if (ctx.valBatches.length === 0) return undefined;
    const run = () => estimateNll(model, ctx.valBatches, ctx.rng.split('eval'), 1);
    return ema ? ema.withShadow(run) : run();
  };

  const trainRng = ctx.rng.split('train');
  let windowTokens = 0;
  let windowStart = performance.now();
  let tokensPerSec = 0;
  let interrupted = false;
  while (step < o.steps) {
    const stepRng = trainRng.split(`step-${step}`);
    let lossSum = 0;
    let tokens = 0;
    let summed: Map<string, tf.Tensor> | undefined;
    for (let k = 0; k < o.accumulate; k++) {
      const batch = toTokenBatch(source.next());
      tokens += batch.ids.data.length;
      const microRng = stepRng.split(`micro-${k}`);
      const { value, grads } = model.params.valueAndGrads(() => model.trainLoss(batch, microRng));
      const v = (await value.data())[0]!;
      value.dispose();
      if (!Number.isFinite(v)) {
        for (const g of grads.values()) g.dispose();
        summed?.forEach((g) => g.dispose());
        opt.dispose();
        ema?.dispose();
        throw new TrainingDivergedError(
          { op: 'train', arg: `loss at step ${step + 1}`, expected: 'a finite number', got: String(v) },
          `diverged; the last good checkpoint is kept (${latestCheckpointDir(ckRoot) ?? 'none written yet'})`,
        );
      }
      lossSum += v;
      if (!summed) summed = grads;
      else {
        for (const [n, g] of grads) {
          const prev = summed.get(n);
          summed.set(n, prev ? tf.tidy(() => tf.add(prev, g)) : g);
          if (prev) {
            prev.dispose();
            g.dispose();
          }
        }
      }
    }
    let grads = summed!;
    if (o.accumulate > 1) {
      const scaled = new Map<string, tf.Tensor>();
      for (const [n, g] of grads) {
        scaled.set(n, tf.tidy(() => tf.div(g, o.accumulate)));
        g.dispose();
      }
      grads = scaled;
    }
    let gradNorm = NaN;
    if (o.gradClip > 0) {
      const c = clipGradNorm(grads, o.gradClip);
      gradNorm = c.totalNorm;
      for (const g of grads.values()) g.dispose();
      grads = c.grads;
    }
    const lr = o.lr * lrMultiplier(step, { warmupSteps: o.warmupSteps, totalSteps: o.steps, decay: o.decay, minRatio: o.minLrRatio });
    opt.step(grads, lr);
    for (const g of grads.values()) g.dispose();
    ema?.update();
    step++;
    lastLoss = lossSum / o.accumulate;
    windowTokens += tokens;

    if (step % o.logEvery === 0 || step === o.steps) {
      const now = performance.now();
      tokensPerSec = (windowTokens / (now - windowStart)) * 1000;
      windowTokens = 0;
      windowStart = now;
      const row: MetricRow = { step, split: 'train', loss: lastLoss, lr, tokens_per_sec: tokensPerSec };
      if (Number.isFinite(gradNorm)) row.grad_norm = gradNorm;
      metrics.append(row);
      ctx.hooks?.onStep?.(row);
    }
    if (step % o.evalEvery === 0 || step === o.steps) {
      lastVal = validate();
      if (lastVal) {
        const row: MetricRow = { step, split: 'val', nll: lastVal.natsPerToken, ppl: lastVal.perplexity, bpt: lastVal.bitsPerToken, nll_stderr: lastVal.stderrNatsPerToken };
        metrics.append(row);
        ctx.hooks?.onEval?.(row);
      }
    }
    // Let the event loop run (signal handlers, I/O): the awaits above may all resolve as
    // microtasks, which would starve a SIGINT listener for the whole run.
    if (ctx.shouldStop) await new Promise((r) => setImmediate(r));
    const stop = step < o.steps && (ctx.shouldStop?.() ?? false);
    if (step % o.checkpointEvery === 0 || step === o.steps || stop) save();
    if (stop) {
      interrupted = true;
      break;
    }
  }
  opt.dispose();
  ema?.dispose();
  return { step, lastLoss, lastVal, tokensPerSec, interrupted };
}
