// `dlm eval mc <model> --task <folder|file>`: multiple-choice evaluation as lm-evaluation-harness runs it, for every
// family with a continuation estimator (FamilyDef.continuation): the task is read and every prompt tokenized and
// checked, the model opened, then each question is scored (one resumable record per question in progress.jsonl),
// and at the end results.json, results.md, results.arrow (one row per question) and questions.jsonl are written.
//
// Scoring per question: the template's context with k few-shot rows, one request per choice (@dlm/eval mc prompt:
// whole = enc(ctx + cont), cont = whole[len(ctx):], left truncation to the length budget), the family's
// log p(cont | ctx) (AR exact; LLaDA / MDLM / SEDD Monte-Carlo bounds with mcNum, batch, cfgScale), then acc and
// acc_norm (@dlm/eval mc metrics). BOS: a run's rows start with BOS in training, so its contexts get one; a
// published checkpoint folder is read as the harness reads it (no BOS added).
// Draws: question (subject, index) uses rng.split(`mc/<subject>/<index>`) of the model's eval rng (seeded by --seed),
// so a resumed or reordered evaluation draws the same numbers.
import { basename, join, resolve } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { ConfigError, brief } from '@dlm/core';
import {
  buildMcPrompt,
  defaultTemplate,
  mcAccuracy,
  mcContext,
  mcPicks,
  mcTemplates,
  openMcTask,
  subjectsOf,
  type McAccuracy,
  type McQuestion,
  type McPrompt,
} from '@dlm/eval';
import { families, type FamilyDef } from '@dlm/models';
import { CountProgress, ResumableLog, writeResultFiles } from './eval-out.ts';
import { openModel, requireTokenizer, type OpenedModel } from './open-model.ts';

const OP = 'dlm eval mc';

export interface EvalMcOptions {
  model: string;
  task: string;
  split?: 'test' | 'val' | undefined;
  shots?: number | undefined;
  /** Questions per subject (the first n of each, as the harness's --limit per subtask). */
  limit?: number | undefined;
  mcNum?: number | undefined;
  batch?: number | undefined;
  cfgScale?: number | undefined;
  seed?: number | undefined;
  template?: string | undefined;
  out?: string | undefined;
  restart?: boolean | undefined;
  noEma?: boolean | undefined;
  checkpoint?: string | undefined;
  /** Stop after this many newly scored questions (tests: a kill after k questions), without writing results. */
  stopAfter?: number | undefined;
  log?: (line: string) => void;
  progress?: (s: string) => void;
}

/** One scored question (a line of progress.jsonl and of questions.jsonl). */
export interface McRecord {
  subject: string;
  index: number;
  where: string;
  gold: number;
  loglik: number[];
  /** Standard error of each choice's Monte-Carlo estimate (0 when exact). */
  loglik_stderr: (number | null)[];
  is_greedy?: boolean[] | undefined;
  pick: number;
  pick_norm: number;
  correct: boolean;
  correct_norm: boolean;
  truncated: boolean;
  prompt_token_count: number;
  continuation_token_ids: number[][];
  continuation_chars: number[];
  nfe: number;
}

export interface McResults {
  model: string;
  family: string;
  estimator: 'exact' | 'bound';
  task: string;
  files: string[];
  split: string;
  template: string;
  num_fewshot: number;
  knobs: { mc_num?: number; batch: number; cfg_scale?: number; seed: number; add_bos: boolean };
  questions: number;
  truncated_prompts: number;
  nfe: number;
  accuracy: McAccuracy;
  out: string;
}

const DEFAULTS = { mcNum: 128, batch: 32, cfgScale: 0, shots: 0 }; // mc_num / batch_size / cfg of LLaDA's eval

function checkInt(arg: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min)) {
    throw new ConfigError({ op: OP, arg, expected: `an integer >= ${min}`, got: brief(v) });
  }
}

/** The families that have an estimator (for the error on one that has none). */
function scorableFamilies(): string[] {
  return families.names().filter((n) => families.get(n).continuation !== undefined);
}

/** The family's continuation estimator, or the named error of a family without one (Diffusion-LM, DiffuSeq). */
export function continuationEstimator(def: FamilyDef, path: string): NonNullable<FamilyDef['continuation']> {
  if (def.continuation) return def.continuation;
  const expected = `a family with a conditional log-likelihood estimator (${scorableFamilies().join(', ')})`;
  throw new ConfigError(
    { op: OP, arg: path, expected, got: `family ${def.name}` },
    'has no estimator of log p(continuation | context)',
  );
}

interface Prepared {
  q: McQuestion;
  prompt: McPrompt;
}

export async function runEvalMc(o: EvalMcOptions): Promise<McResults> {
  const shots = o.shots ?? DEFAULTS.shots;
  const split = o.split ?? 'test';
  checkInt('--shots', shots, 0);
  if (o.limit !== undefined) checkInt('--limit', o.limit, 1);
  const task = await openMcTask(o.task, split);
  const templateName = o.template ?? defaultTemplate(task.kind);
  const template = mcTemplates.get(templateName);
  if (!template.kinds.includes(task.kind)) {
    const expected = `a template for ${task.kind} tasks (${mcTemplates
      .names()
      .filter((n) => mcTemplates.get(n).kinds.includes(task.kind))
      .join(', ')})`;
    throw new ConfigError({ op: OP, arg: '--template', expected, got: templateName });
  }
  const questions = subjectsOf(task).flatMap((s) => {
    const mine = task.questions.filter((q) => q.subject === s);
    return o.limit !== undefined ? mine.slice(0, o.limit) : mine;
  });
  const m = await openModel(o.model, {
    seed: o.seed,
    noEma: o.noEma,
    checkpoint: o.checkpoint,
    op: OP,
    ...(o.log ? { log: o.log } : {}),
  });
  try {
    return await scoreAll(o, m, task.files, questions, { shots, split, templateName, template, task });
  } finally {
    m.dispose();
  }
}

async function scoreAll(
  o: EvalMcOptions,
  m: OpenedModel,
  files: string[],
  questions: McQuestion[],
  t: {
    shots: number;
    split: string;
    templateName: string;
    template: ReturnType<typeof mcTemplates.get>;
    task: Awaited<ReturnType<typeof openMcTask>>;
  },
): Promise<McResults> {
  const est = continuationEstimator(m.family, m.path);
  const tok = requireTokenizer(m, OP, 'tokenize the prompts');
  const mcNum = o.mcNum ?? DEFAULTS.mcNum;
  const batch = o.batch ?? (est.estimator === 'exact' ? 1 : Math.min(DEFAULTS.batch, mcNum));
  const cfgScale = o.cfgScale ?? DEFAULTS.cfgScale;
  checkInt('--batch', batch, 1);
  if (est.knobs.includes('mcNum')) {
    checkInt('--mc-num', mcNum, 1);
    if (mcNum % batch !== 0) {
      throw new ConfigError({
        op: OP,
        arg: '--mc-num',
        expected: `a multiple of --batch ${batch}`,
        got: String(mcNum),
      });
    }
  } else if (o.mcNum !== undefined) {
    throw new ConfigError(
      { op: OP, arg: '--mc-num', expected: `a family with a Monte-Carlo estimator (family ${m.family.name} is exact)` },
      'does not apply',
    );
  }
  if (o.cfgScale !== undefined && !est.knobs.includes('cfgScale')) {
    throw new ConfigError(
      {
        op: OP,
        arg: '--cfg-scale',
        expected: 'the llada family (classifier-free guidance)',
        got: `family ${m.family.name}`,
      },
      'does not apply',
    );
  }
  if (!(Number.isFinite(cfgScale) && cfgScale >= 0)) {
    throw new ConfigError({ op: OP, arg: '--cfg-scale', expected: 'a finite number >= 0', got: brief(cfgScale) });
  }
  const addBos = m.kind === 'run';
  if (addBos && m.vocab.bosId === undefined) {
    throw new ConfigError({ op: OP, arg: m.path, expected: 'a run whose vocabulary has a BOS id' });
  }
  const budget = m.maxLength + (est.shifted ? 1 : 0) - (addBos ? 1 : 0);
  const encode = (s: string) => Array.from(tok.encode(s));
  // Every prompt built and tokenized before anything is written (bad shots, empty continuations fail here).
  const prepared: Prepared[] = questions.map((q) => ({
    q,
    prompt: buildMcPrompt(mcContext(t.task, q, t.template, t.shots), t.template.continuations(q), encode, budget),
  }));
  const seed = o.seed ?? (m.kind === 'run' ? m.session!.config.seed : 0);
  const knobs = {
    ...(est.knobs.includes('mcNum') ? { mc_num: mcNum } : {}),
    batch,
    ...(est.knobs.includes('cfgScale') ? { cfg_scale: cfgScale } : {}),
    seed,
    add_bos: addBos,
  };
  // One folder per task and setting, so `--shots 0` and `--shots 5` runs sit side by side (other knobs: --out).
  const out =
    o.out ??
    join(m.defaultOutDir('mc'), `${basename(resolve(o.task)).replace(/\.[^.]*$/, '')}-${t.split}-${t.shots}shot`);
  const fingerprint = {
    verb: 'mc',
    model: resolve(m.path),
    step: m.checkpointStep ?? null,
    task: files.map((f) => resolve(f)),
    split: t.split,
    shots: t.shots,
    limit: o.limit ?? null,
    template: t.templateName,
    ...knobs,
  };
  const key = (r: { subject: string; index: number }) => `${r.subject}#${r.index}`;
  const log = ResumableLog.open<McRecord>(out, fingerprint, key, { op: OP, restart: o.restart });
  const progress = new CountProgress('mc', prepared.length, o.progress);
  let fresh = 0;
  for (const { q, prompt } of prepared) {
    if (log.has(key(q))) continue;
    if (o.stopAfter !== undefined && fresh >= o.stopAfter) {
      throw new ConfigError(
        { op: OP, arg: 'stopAfter', expected: 'the evaluation to finish' },
        `stopped after ${fresh} questions`,
      );
    }
    const scores = m.model.continuationLogLikelihood!(prompt.requests, {
      rng: m.rng.split(`mc/${q.subject}/${q.index}`),
      mcNum,
      batch,
      cfgScale,
      addBos,
    });
    const loglik = scores.map((s) => s.logLikelihood);
    const chars = prompt.continuations.map((c) => c.length);
    const { pick, pickNorm } = mcPicks({ loglik, chars });
    log.append({
      subject: q.subject,
      index: q.index,
      where: q.where,
      gold: q.label,
      loglik,
      loglik_stderr: scores.map((s) => (Number.isFinite(s.stderr) ? s.stderr : null)),
      ...(scores.every((s) => s.isGreedy !== undefined) ? { is_greedy: scores.map((s) => s.isGreedy!) } : {}),
      pick,
      pick_norm: pickNorm,
      correct: pick === q.label,
      correct_norm: pickNorm === q.label,
      truncated: prompt.truncated,
      prompt_token_count: prompt.promptTokenCount,
      continuation_token_ids: prompt.requests.map((r) => r.continuation),
      continuation_chars: chars,
      nfe: scores.reduce((a, s) => a + s.nfe, 0),
    });
    fresh++;
    progress.update(log.done().size, fresh);
  }
  const records = prepared.map(({ q }) => log.done().get(key(q))!);
  const accuracy = mcAccuracy(
    records.map((r) => ({ subject: r.subject, loglik: r.loglik, chars: r.continuation_chars, label: r.gold })),
  );
  const results: McResults = {
    model: m.label,
    family: m.family.name,
    estimator: est.estimator,
    task: o.task,
    files,
    split: t.split,
    template: t.templateName,
    num_fewshot: t.shots,
    knobs,
    questions: records.length,
    truncated_prompts: records.filter((r) => r.truncated).length,
    nfe: records.reduce((a, r) => a + r.nfe, 0),
    accuracy,
    out,
  };
  writeResultFiles(out, {
    'results.json': `${JSON.stringify(results, null, 2)}\n`,
    'results.md': formatEvalMc(results),
    'results.arrow': mcArrow(records),
    'questions.jsonl': records.map((r) => `${JSON.stringify(r)}\n`).join(''),
  });
  return results;
}

/** One row per question: subject, index, gold, pick, pick_norm, correct, correct_norm, truncated, loglik_<i>. */
export function mcArrow(records: readonly McRecord[]): Uint8Array {
  const width = Math.max(0, ...records.map((r) => r.loglik.length));
  const cols: Record<string, Float64Array | Int32Array | string[]> = {
    subject: records.map((r) => r.subject),
    index: Int32Array.from(records, (r) => r.index),
    gold: Int32Array.from(records, (r) => r.gold),
    pick: Int32Array.from(records, (r) => r.pick),
    pick_norm: Int32Array.from(records, (r) => r.pick_norm),
    correct: Int32Array.from(records, (r) => (r.correct ? 1 : 0)),
    correct_norm: Int32Array.from(records, (r) => (r.correct_norm ? 1 : 0)),
    truncated: Int32Array.from(records, (r) => (r.truncated ? 1 : 0)),
    prompt_token_count: Int32Array.from(records, (r) => r.prompt_token_count),
  };
  for (let i = 0; i < width; i++) cols[`loglik_${i}`] = Float64Array.from(records, (r) => r.loglik[i] ?? NaN);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return tableToIPC(tableFromArrays(cols as any) as any, 'file');
}

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(2) : 'n/a');

/** results.md / the text output: a table per subject and the overall rows. */
export function formatEvalMc(r: McResults): string {
  const a = r.accuracy;
  const nSubjects = Object.keys(a.per_subject).length;
  const lines = [
    `# dlm eval mc: ${r.model}`,
    '',
    `family ${r.family} (${r.estimator === 'exact' ? 'exact log-likelihood' : 'Monte-Carlo bound'}), task ${r.task} (${r.split}), template ${r.template}, ${r.num_fewshot}-shot, ${r.questions} questions, ${r.truncated_prompts} truncated prompts`,
    `knobs ${JSON.stringify(r.knobs)}, ${r.nfe} forward passes`,
    '',
    '| subject | n | acc % | ± s.e. | acc_norm % | ± s.e. |',
    '|---|---:|---:|---:|---:|---:|',
    ...Object.keys(a.per_subject).map(
      (s) =>
        `| ${s} | ${a.per_subject_counts[s]![1]} | ${pct(a.per_subject[s]!)} | ${pct(a.per_subject_stderr[s]!)} | ${pct(a.acc_norm.per_subject[s]!)} | ${pct(a.acc_norm.per_subject_stderr[s]!)} |`,
    ),
    `| **overall (micro)** | ${r.questions} | ${pct(a.overall_micro)} | ${pct(a.overall_micro_stderr)} | ${pct(a.acc_norm.overall_micro)} | ${pct(a.acc_norm.overall_micro_stderr)} |`,
    `| **overall (macro)** | ${nSubjects} subject${nSubjects === 1 ? '' : 's'} | ${pct(a.overall_macro)} | ${pct(a.overall_macro_stderr)} | ${pct(a.acc_norm.overall_macro)} | ${pct(a.acc_norm.overall_macro_stderr)} |`,
    '',
  ];
  return lines.join('\n');
}
