// `dlm eval likelihood <model>`: the model's likelihood on any data (eval-data.ts): the exact NLL of an AR model
// (teacher forcing), the NELBO of MDLM / SEDD, LLaDA's Monte-Carlo bound, as nats and bits per token with a
// standard error and the perplexity (= for exact, ≤ for a bound), next to the unigram baseline of the same tokens.
// The estimator is @dlm/eval estimateNll (ratio over sequences, delta-method s.e.), with the draws of
// Rng.seeded(seed).split('eval-command') — bare `dlm eval <run>`'s stream — so on a run's own validation split
// with the same batches and seed both commands give the same number.
import { ConfigError, Rng, stderrLog } from '@dlm/core';
import type { SplitName } from '@dlm/data';
import { estimateNll, type NllEstimate } from '@dlm/eval';
import { likelihoodWords } from '@dlm/models';
import { blockBatches, openEvalData } from './eval-data.ts';
import { CountProgress, writeResultFiles } from './eval-out.ts';
import { openModel, requireTokenizer } from './open-model.ts';

export interface LikelihoodOptions {
  /** A run directory or a checkpoint folder. */
  model: string;
  /** A registered dataset or .txt/.jsonl files; absent = the run's own dataset (required for a folder). */
  data?: string | undefined;
  /** Default test. */
  split?: SplitName | undefined;
  /** At most this many batches (default: the whole split). */
  batches?: number | undefined;
  /** Monte-Carlo draws per sequence for a bound (default: a run's eval.time_samples, 1 for a folder). */
  timeSamples?: number | undefined;
  /** Rows per batch (default: a run's loader.eval_batch_size, 8 for a folder). */
  batchSize?: number | undefined;
  /** Block length (default: a run's data.length; a folder's maximum length capped at 1024). */
  length?: number | undefined;
  /** Default: the run's experiment seed, 0 for a folder. */
  seed?: number | undefined;
  /** Output directory (default `<run>/evals/likelihood`, `evals/<folder>/likelihood`). */
  out?: string | undefined;
  noEma?: boolean | undefined;
  checkpoint?: string | undefined;
  log?: (line: string) => void;
}

export interface LikelihoodResult extends NllEstimate {
  verb: 'likelihood';
  model: { path: string; label: string; kind: 'run' | 'checkpoint'; family: string; checkpointStep?: number };
  /** 'exact': the NLL (perplexity =); 'bound': a NELBO / Monte-Carlo bound (perplexity ≤). */
  likelihood: 'exact' | 'bound';
  /** NLL or NELBO (likelihoodWords). */
  measure: string;
  relation: '=' | '≤';
  data: {
    kind: 'run' | 'dataset' | 'files';
    name: string;
    split: string;
    files?: string[] | undefined;
    packing: string;
    length: number;
    blocks: number;
    droppedTokens: number;
  };
  batchSize: number;
  batches: number;
  seed: number;
  /** Unigram perplexity of the same tokens under the data's train-split counts (absent for local files). */
  unigramPerplexity: number | null;
  unigramNatsPerToken: number | null;
  seconds: number;
  /** Where results.json and results.md were written. */
  out: string;
}

const OP = 'dlm eval likelihood';
export const FOLDER_LENGTH_CAP = 1024;
const FOLDER_BATCH_SIZE = 8;

function positiveInt(arg: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
    throw new ConfigError({ op: OP, arg, expected: 'a positive integer', got: String(v) });
  }
}

export async function runLikelihood(o: LikelihoodOptions): Promise<LikelihoodResult> {
  const log = o.log ?? stderrLog;
  for (const [arg, v] of [
    ['--batches', o.batches],
    ['--time-samples', o.timeSamples],
    ['--batch-size', o.batchSize],
    ['--length', o.length],
  ] as const)
    positiveInt(arg, v);
  const m = await openModel(o.model, { op: OP, seed: o.seed, noEma: o.noEma, checkpoint: o.checkpoint, log });
  try {
    const likelihood = m.family.likelihood ?? 'bound';
    if (likelihood === 'none') {
      const expected = 'a model with a likelihood (AR, MDLM, SEDD, LLaDA)';
      throw new ConfigError(
        { op: OP, arg: o.model, expected, got: `family ${m.family.name}` },
        'has no likelihood (its validation number is a loss): use bare `dlm eval <run>`',
      );
    }
    const tok = requireTokenizer(m, OP, 'tokenize the evaluation text');
    const s = m.session;
    const length = o.length ?? (s ? s.length : Math.min(m.maxLength, FOLDER_LENGTH_CAP));
    if (length > m.maxLength) {
      const expected = `at most the model's maximum length ${m.maxLength}`;
      throw new ConfigError({ op: OP, arg: '--length', expected, got: String(length) });
    }
    const split = o.split ?? 'test';
    const data = await openEvalData(m, tok, { data: o.data, split, length, op: OP, log });
    const batchSize = o.batchSize ?? (s ? s.config.loader.eval_batch_size : FOLDER_BATCH_SIZE);
    const batches = data.pairBatches
      ? data.pairBatches(o.batches ?? Infinity)
      : blockBatches(data.blocks, batchSize, o.batches ?? Infinity);
    const draws = likelihood === 'exact' ? 1 : (o.timeSamples ?? (s ? s.config.eval.time_samples : 1));
    const seed = o.seed ?? (s ? s.config.seed : 0);
    const t0 = performance.now();
    const progress = new CountProgress('likelihood batches', batches.length);
    const est = estimateNll(m.model, batches, Rng.seeded(seed).split('eval-command'), draws, (done) =>
      progress.update(done, done),
    );
    const seconds = (performance.now() - t0) / 1000;
    const w = likelihoodWords({ likelihood });
    const out = o.out ?? m.defaultOutDir('likelihood');
    const result: LikelihoodResult = {
      verb: 'likelihood',
      model: {
        path: m.path,
        label: m.label,
        kind: m.kind,
        family: m.family.name,
        ...(m.checkpointStep !== undefined ? { checkpointStep: m.checkpointStep } : {}),
      },
      likelihood,
      measure: w.name,
      relation: w.relation!,
      data: {
        kind: data.kind,
        name: data.name,
        split: data.split,
        ...(data.files ? { files: data.files } : {}),
        packing: data.packing,
        length: data.length,
        blocks: data.blocks.rows,
        droppedTokens: data.blocks.stats.droppedTokens,
      },
      batchSize,
      batches: batches.length,
      seed,
      ...est,
      unigramPerplexity: data.unigram?.perplexity ?? null,
      unigramNatsPerToken: data.unigram?.natsPerToken ?? null,
      seconds,
      out,
    };
    writeResultFiles(out, {
      'results.json': `${JSON.stringify(result, null, 2)}\n`,
      'results.md': likelihoodMarkdown(result),
    });
    return result;
  } finally {
    m.dispose();
  }
}

function dataLabel(r: LikelihoodResult): string {
  const d = r.data;
  return d.kind === 'files' ? `${d.files!.length} file(s) ${d.files!.join(', ')}` : `${d.name} ${d.split} split`;
}

/** The terminal report (what `dlm eval likelihood` prints without --json). */
export function formatLikelihood(r: LikelihoodResult): string {
  const draws = r.likelihood === 'exact' ? 'exact, teacher forcing' : `${r.timeSamples} time samples each`;
  return [
    `model             ${r.model.label}`,
    `data              ${dataLabel(r)} (${r.data.packing} packing, blocks of ${r.data.length}, ${r.batches} batches of ≤ ${r.batchSize})`,
    `${r.measure.padEnd(17)} ${r.natsPerToken.toFixed(4)} ± ${r.stderrNatsPerToken.toFixed(4)} nats/token (1 s.e.; ${r.sequences} sequences, ${r.tokens} tokens counted, ${draws})`,
    `perplexity        ${r.relation} ${r.perplexity.toFixed(3)}   (bits/token ${r.bitsPerToken.toFixed(4)})`,
    r.unigramPerplexity === null
      ? 'unigram baseline  — (local files have no train split)'
      : `unigram baseline  ${r.unigramPerplexity.toFixed(3)}   (train-split counts, add-one)`,
    `results           ${r.out}`,
  ].join('\n');
}

function likelihoodMarkdown(r: LikelihoodResult): string {
  const cell = (v: number | null, d: number) => (v === null ? '—' : v.toFixed(d));
  return [
    `# dlm eval likelihood`,
    '',
    `Model: ${r.model.label} (family ${r.model.family}). Data: ${dataLabel(r)}, ${r.data.packing} packing, blocks of ${r.data.length} (${r.data.blocks} blocks, ${r.data.droppedTokens} tokens dropped by packing). Seed ${r.seed}.`,
    '',
    `| measure | nats/token | s.e. | perplexity | bits/token | sequences | tokens | time samples | unigram ppl |`,
    `|---|---|---|---|---|---|---|---|---|`,
    `| ${r.measure} | ${r.natsPerToken.toFixed(4)} | ${r.stderrNatsPerToken.toFixed(4)} | ${r.relation} ${r.perplexity.toFixed(3)} | ${r.bitsPerToken.toFixed(4)} | ${r.sequences} | ${r.tokens} | ${r.timeSamples} | ${cell(r.unigramPerplexity, 3)} |`,
    '',
    r.likelihood === 'exact'
      ? 'The NLL is exact (teacher forcing); perplexity = e^(nats/token).'
      : 'A NELBO / Monte-Carlo bound: perplexity ≤ e^(nats/token); the s.e. covers sequences and time draws.',
    '',
  ].join('\n');
}
