// The task of `dlm eval generate`: a JSONL file of rows `{"prompt": "…", "answer": "…"}` (other keys are kept
// out of the way; `"split": "dev"` marks a few-shot row, which is not scored), and the prompt a row is asked
// with, as lm-evaluation-harness builds generate_until requests (lm_eval/api/task.py, fewshot_context): k
// few-shot examples, each `prompt + target_delimiter + answer + fewshot_delimiter` (defaults " " and "\n\n"),
// then the row's prompt. Few-shot rows are the first k rows of `--fewshot <file>` when given, else the task's
// own `"split": "dev"` rows, in file order (no sampling: the same k examples for every row).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, brief } from '@dlm/core';
import { readJsonlRows } from '@dlm/eval';

export interface GenerateTaskRow {
  /** 0-based index among the scored rows (the resumable log's key). */
  index: number;
  /** `file:line` for errors. */
  where: string;
  prompt: string;
  answer: string;
}

export interface GenerateTask {
  /** Scored rows (after --limit). */
  rows: GenerateTaskRow[];
  /** The few-shot rows used (the first `shots`). */
  fewshot: GenerateTaskRow[];
  /** sha256 of the task file and of the few-shot file (the evaluation's fingerprint). */
  sha256: { task: string; fewshot?: string | undefined };
}

export interface GenerateTaskOptions {
  task: string;
  fewshot?: string | undefined;
  shots?: number | undefined;
  limit?: number | undefined;
  op: string;
}

const ROW = '{"prompt": "text", "answer": "text"} (optional "split": "dev" | "test")';

function readRows(
  file: string,
  arg: string,
  op: string,
): { test: GenerateTaskRow[]; dev: GenerateTaskRow[]; sha: string } {
  if (!existsSync(file))
    throw new ConfigError({ op, arg: `${arg} ${file}`, expected: 'an existing JSONL file' }, 'does not exist');
  const test: GenerateTaskRow[] = [];
  const dev: GenerateTaskRow[] = [];
  for (const { line, value: r } of readJsonlRows(file, op)) {
    const where = `${file}:${line}`;
    for (const key of ['prompt', 'answer'] as const) {
      if (typeof r[key] !== 'string') {
        throw new ConfigError(
          { op, arg: `${where} ${key}`, expected: `a string: rows are ${ROW}`, got: brief(r[key]) },
          r[key] === undefined ? 'is missing' : '',
        );
      }
    }
    if (r['prompt'] === '')
      throw new ConfigError({ op, arg: `${where} prompt`, expected: 'a non-empty string' }, 'is empty');
    const split = r['split'] ?? 'test';
    if (split !== 'dev' && split !== 'test') {
      throw new ConfigError({
        op,
        arg: `${where} split`,
        expected: '"dev" (a few-shot row) or "test"',
        got: brief(split),
      });
    }
    const out = split === 'dev' ? dev : test;
    out.push({ index: out.length, where, prompt: r['prompt'] as string, answer: r['answer'] as string });
  }
  return { test, dev, sha: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

/** Reads and checks the task (and few-shot file): named errors before any model is opened. */
export function readGenerateTask(o: GenerateTaskOptions): GenerateTask {
  const { op } = o;
  const shots = o.shots ?? 0;
  if (!(Number.isInteger(shots) && shots >= 0))
    throw new ConfigError({ op, arg: '--shots', expected: 'an integer ≥ 0', got: brief(o.shots) });
  if (o.limit !== undefined && !(Number.isInteger(o.limit) && o.limit >= 1)) {
    throw new ConfigError({ op, arg: '--limit', expected: 'an integer ≥ 1', got: brief(o.limit) });
  }
  const task = readRows(o.task, '--task', op);
  if (task.test.length === 0)
    throw new ConfigError({ op, arg: `--task ${o.task}`, expected: `at least one scored row ${ROW}` }, 'has none');
  const few = o.fewshot !== undefined ? readRows(o.fewshot, '--fewshot', op) : undefined;
  const pool = few ? [...few.test, ...few.dev] : task.dev;
  if (shots > pool.length) {
    const from =
      o.fewshot !== undefined
        ? `the ${pool.length} rows of --fewshot ${o.fewshot}`
        : `the ${pool.length} "split": "dev" rows of ${o.task} (or give --fewshot <file>)`;
    throw new ConfigError({ op, arg: '--shots', expected: `at most ${from}`, got: String(shots) });
  }
  return {
    rows: task.test.slice(0, o.limit ?? task.test.length),
    fewshot: pool.slice(0, shots),
    sha256: { task: task.sha, ...(few ? { fewshot: few.sha } : {}) },
  };
}

export interface Delimiters {
  /** Between an example's prompt and its answer (harness target_delimiter, default " "). */
  target: string;
  /** After each example (harness fewshot_delimiter, default "\n\n"). */
  fewshot: string;
}

export const DEFAULT_DELIMITERS: Delimiters = { target: ' ', fewshot: '\n\n' };

/** The text a row is asked with: the few-shot examples, then the row's prompt. */
export function generatePrompt(
  row: GenerateTaskRow,
  fewshot: readonly GenerateTaskRow[],
  d: Delimiters = DEFAULT_DELIMITERS,
): string {
  return fewshot.map((e) => `${e.prompt}${d.target}${e.answer}${d.fewshot}`).join('') + row.prompt;
}
