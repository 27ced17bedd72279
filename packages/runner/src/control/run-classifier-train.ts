// `dlm train <classifier.yaml>` for `kind: control-classifier` (classifier-experiment.ts): the attribute
// classifier of gradient-based control, trained with the runner's loop (train-loop.ts: AdamW, clipping, EMA,
// checkpoints, exact resume, metrics.jsonl) on the noisy word embeddings of a diffusion run. Validation rows hold
// the held-out CE and accuracy (overall and at the eval.noise_levels); the run directory also has control.json
// (the attribute, its labels, and the diffusion run and embedding it was trained on) and summary.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, Rng, stderrLog } from '@dlm/core';
import { resolveConfig, toYaml } from '@dlm/config';
import { BlockLoader, type LoaderState, type PackedBlocks } from '@dlm/data';
import { AttributeClassifier, resolveAttributeClassifierOptions, type TokenBatch } from '@dlm/models';
import { createRunDir, newRunDir } from '../run-dir.ts';
import { MetricsLog, metricsToArrow, type MetricRow } from '../metrics.ts';
import { lineChartSvg } from '../plot.ts';
import { Progress, progressOnStep } from '../progress.ts';
import { listenForStop } from '../interrupt.ts';
import { writeRunState } from '../run-state.ts';
import { resolvedYamlOf } from '../session.ts';
import { toTokenBatch, train } from '../train-loop.ts';
import { trainOptionsFrom, type TrainCommandOptions, type TrainCommandResult } from '../run-train.ts';
import { LeakWatch } from '../leak-check.ts';
import { bindAttribute, type BoundAttribute } from './attributes/registry.ts';
import { CLASSIFIER_PATHS, classifierExperimentSchema, type ClassifierExperiment } from './classifier-experiment.ts';
import {
  accuracyFields,
  classifierAccuracy,
  classifierTrainable,
  rowLabels,
  type ClassifierParts,
} from './classifier-model.ts';
import { openDiffusionRun } from './diffusion-run.ts';

const OP = 'control-classifier';

/** What a classifier run records about its inputs (control.json). */
export interface ControlRecord {
  kind: 'control-classifier';
  attribute: string;
  labels: string[];
  diffusion_run: string;
  checkpoint_step: number;
  embedding_sha256: string;
  embedding_dim: number;
  max_length: number;
  diffusion_steps: number;
}

export const CONTROL_RECORD = 'control.json';

/** Label shares of the packed blocks of a split (by the attribute's rule on each decoded block). */
export function labelShares(blocks: PackedBlocks, p: Pick<ClassifierParts, 'attribute' | 'decode'>): number[] {
  const labels = rowLabels(p, { data: blocks.tokens, shape: [blocks.rows, blocks.length] });
  const counts = new Array<number>(p.attribute.labels.length).fill(0);
  for (const c of labels) counts[c]!++;
  return counts.map((n) => n / Math.max(1, blocks.rows));
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function describeShares(a: BoundAttribute, shares: readonly number[]): string {
  return a.labels.map((l, i) => `${l} ${pct(shares[i]!)}`).join(', ');
}

function fixedBatches(blocks: PackedBlocks, batchSize: number, count: number, rng: Rng): TokenBatch[] {
  const bs = Math.min(batchSize, blocks.rows);
  if (bs === 0) return [];
  const loader = new BlockLoader(blocks, { batchSize: bs, shuffle: false }, rng);
  return Array.from({ length: Math.min(count, loader.batchesPerEpoch) }, () => toTokenBatch(loader.next()));
}

export async function runClassifierTrain(o: TrainCommandOptions): Promise<TrainCommandResult> {
  const log = o.log ?? stderrLog;
  const sets = o.sets ?? [];
  if (o.resume && sets.length) {
    const expected = 'no --set when resuming a control classifier (its resolved.yaml is the config)';
    throw new ConfigError({ op: 'train --resume', arg: '--set', expected, got: sets.join(' ') });
  }
  const file = o.resume ? resolvedYamlOf(o.resume) : o.file!;
  const { config } = resolveConfig({ schema: classifierExperimentSchema, file, sets, paths: CLASSIFIER_PATHS });
  const c = config as ClassifierExperiment;
  const attribute = bindAttribute(c.attribute);
  const base = await openDiffusionRun(c.diffusion_run, { op: OP, arg: 'diffusion_run', log });
  let net: AttributeClassifier | undefined;
  try {
    const s = base.session;
    const decode = (ids: ArrayLike<number>) => s.data.tokenizer.decode(ids, { specials: 'skip' });
    const trainBlocks = s.data.blocks('train');
    const shares = labelShares(trainBlocks, { attribute, decode });
    if (shares.filter((v) => v > 0).length < 2) {
      const expected = 'an attribute with at least two labels occurring in the training blocks';
      const got = describeShares(attribute, shares);
      throw new ConfigError({ op: OP, arg: 'attribute', expected, got });
    }
    const [, d] = base.embedding.shape as [number, number];
    const options = resolveAttributeClassifierOptions(c.model, {
      embeddingDim: d,
      maxLength: s.length,
      classes: attribute.labels.length,
    });
    const rng = Rng.seeded(c.seed);
    net = new AttributeClassifier(options, rng.split('model'));
    const parts: ClassifierParts = { net, attribute, process: base.process, embedding: base.embedding, decode };
    const record: ControlRecord = {
      kind: 'control-classifier',
      attribute: attribute.name,
      labels: attribute.labels,
      diffusion_run: base.dir,
      checkpoint_step: base.checkpointStep,
      embedding_sha256: base.embeddingSha256,
      embedding_dim: d,
      max_length: s.length,
      diffusion_steps: base.process.numTimesteps,
    };
    const runDir = o.resume ?? o.runDir ?? newRunDir(c.runs_dir, c.name);
    if (o.resume) checkRecord(runDir, record);
    else {
      createRunDir(runDir, { resolvedYaml: toYaml(config), argv: o.argv, tokenizerState: s.data.tokenizer.state() });
      writeFileSync(join(runDir, CONTROL_RECORD), `${JSON.stringify(record, null, 1)}\n`);
    }
    const opts = { batchSize: c.loader.batch_size };
    const valBatches = fixedBatches(
      s.data.blocks('validation'),
      c.loader.eval_batch_size,
      c.eval.batches,
      rng.split('val-loader'),
    );
    const evalRng = rng.split('eval');
    const maxSteps = c.trainer.max_steps;
    writeRunState(runDir, { state: 'running', step: 0, maxSteps });
    const progress = o.progress ?? Progress.stdout(c.trainer.log_every_n_steps);
    const stop = listenForStop({
      onFirst: (sig) => progress.log(`${sig}: finishing the current step, then writing a checkpoint`),
    });
    log(
      `run ${runDir}: attribute ${attribute.name} (${describeShares(attribute, shares)} of ${trainBlocks.rows} train blocks), ` +
        `classifier of ${net.params.numParams().toLocaleString('en-US')} parameters on ${base.dir} (step ${base.checkpointStep}, T = ${base.process.numTimesteps})`,
    );
    const leaks = o.checkLeaks !== undefined ? new LeakWatch(o.checkLeaks, (l) => progress.log(l)) : undefined;
    const started = performance.now();
    try {
      const r = await train(
        {
          runDir,
          model: classifierTrainable(parts),
          train: new BlockLoader(trainBlocks, opts, rng.split('data')),
          restoreTrain: (st: LoaderState) => BlockLoader.restore(trainBlocks, opts, st),
          valBatches,
          validate: () => accuracyFields(classifierAccuracy(parts, valBatches, c.eval.noise_levels, evalRng)),
          rng,
          resume: Boolean(o.resume),
          shouldStop: () => stop.requested !== undefined,
          log: (l) => progress.log(l),
          hooks: {
            onStep: progressOnStep(progress, maxSteps),
            onEval: (row) => progress.log(`step ${row.step}: ${formatValRow(row)}`),
            ...(leaks ? { afterStep: (step: number, last: boolean) => leaks.afterStep(step, last) } : {}),
          },
        },
        trainOptionsFrom(c),
      );
      progress.end();
      if (leaks) log(leaks.summary());
      const seconds = (performance.now() - started) / 1000;
      const majority = majorityShare(parts, valBatches);
      writeClassifierReport(runDir, c, record, {
        shares,
        seconds,
        finalLoss: r.lastLoss,
        majority,
        trainRows: trainBlocks.rows,
      });
      if (r.interrupted) {
        const sig = stop.requested ?? 'SIGINT';
        writeRunState(runDir, { state: 'interrupted', step: r.step, maxSteps, signal: sig });
        log(
          `interrupted by ${sig} at step ${r.step} of ${maxSteps}: checkpoint written. Resume with: dlm train --resume ${runDir}`,
        );
        return { runDir, finalLoss: r.lastLoss, interrupted: sig };
      }
      writeRunState(runDir, { state: 'done', step: r.step, maxSteps });
      return { runDir, finalLoss: r.lastLoss };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      writeRunState(runDir, { state: 'failed', step: 0, maxSteps, error: `${err.name}: ${err.message}` });
      throw e;
    } finally {
      stop.dispose();
    }
  } finally {
    net?.dispose();
    base.dispose();
  }
}

/** The share of the most frequent label among the rows of the batches. */
function majorityShare(p: Pick<ClassifierParts, 'attribute' | 'decode'>, batches: readonly TokenBatch[]): number {
  const counts = new Map<number, number>();
  let rows = 0;
  for (const b of batches)
    for (const c of rowLabels(p, b.ids)) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      rows++;
    }
  return rows ? Math.max(...counts.values()) / rows : NaN;
}

/** `ce 0.41, accuracy 0.83 | t=0 0.95, t=500 0.90, …` */
export function formatValRow(row: MetricRow): string {
  const levels = Object.keys(row)
    .filter((k) => k.startsWith('acc_t'))
    .map((k) => `t=${k.slice(5)} ${(row[k] as number).toFixed(3)}`);
  const head = `validation CE ${(row.ce as number).toFixed(4)}, accuracy ${(row.accuracy as number).toFixed(3)}`;
  return levels.length ? `${head} | accuracy at ${levels.join(', ')}` : head;
}

/** A resumed classifier must still see the embedding it was trained on. */
function checkRecord(runDir: string, now: ControlRecord): void {
  const path = join(runDir, CONTROL_RECORD);
  if (!existsSync(path)) return;
  const old = JSON.parse(readFileSync(path, 'utf8')) as ControlRecord;
  if (old.embedding_sha256 !== now.embedding_sha256) {
    const expected = `the word embedding this classifier was trained on (${old.diffusion_run}, step ${old.checkpoint_step})`;
    throw new ConfigError(
      { op: OP, arg: 'diffusion_run', expected, got: `step ${now.checkpoint_step} of ${now.diffusion_run}` },
      'has another embedding',
    );
  }
}

interface ReportNumbers {
  shares: number[];
  seconds: number;
  finalLoss: number;
  majority: number;
  trainRows: number;
}

function writeClassifierReport(runDir: string, c: ClassifierExperiment, rec: ControlRecord, n: ReportNumbers): void {
  const rows = new MetricsLog(join(runDir, 'metrics.jsonl')).read();
  writeFileSync(join(runDir, 'metrics.arrow'), metricsToArrow(rows));
  const train = rows.filter((x) => x.split === 'train').map((x) => [x.step, x.loss as number] as const);
  const val = rows.filter((x) => x.split === 'val');
  writeFileSync(
    join(runDir, 'loss.svg'),
    lineChartSvg(
      [
        { name: 'train CE', points: train },
        { name: 'validation CE', points: val.map((x) => [x.step, x.ce as number] as const) },
      ],
      { title: `${c.name}: ${rec.attribute} classifier`, xLabel: 'step', yLabel: 'nats / sequence' },
    ),
  );
  const last = val[val.length - 1];
  const levels = last
    ? Object.keys(last)
        .filter((k) => k.startsWith('acc_t'))
        .map((k) => `| ${k.slice(5)} | ${(last[k] as number).toFixed(3)} |`)
    : [];
  const lines = [
    `# ${c.name}`,
    '',
    `- kind: control-classifier; attribute ${rec.attribute} (${JSON.stringify(c.attribute)}), labels ${rec.labels.join(' | ')}`,
    `- diffusion run: ${rec.diffusion_run} (checkpoint step ${rec.checkpoint_step}, T = ${rec.diffusion_steps}, d = ${rec.embedding_dim}, blocks of ${rec.max_length})`,
    `- label shares of the ${n.trainRows} train blocks: ${rec.labels.map((l, i) => `${l} ${pct(n.shares[i]!)}`).join(', ')}`,
    `- steps: ${c.trainer.max_steps}, batch ${c.loader.batch_size}, lr ${c.optim.lr}, seed ${c.seed}; training time ${n.seconds.toFixed(1)} s; final train CE ${n.finalLoss.toFixed(4)}`,
    last ? `- ${formatValRow(last)}` : '- no validation batches',
    `- majority label share of the validation rows (a constant guess's accuracy): ${n.majority.toFixed(3)}`,
    '',
    '| t | held-out accuracy |',
    '|---|---|',
    ...levels,
    '',
    'Files: resolved.yaml, control.json, argv.txt, git.txt, metrics.jsonl, metrics.arrow, loss.svg, checkpoints/.',
    '',
  ];
  writeFileSync(join(runDir, 'summary.md'), lines.join('\n'));
}
