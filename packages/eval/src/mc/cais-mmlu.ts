// The Hugging Face `cais/mmlu` schema, in Parquet or JSONL: one row per question with
//   question: string, subject: string, choices: [A, B, C, D] strings, answer: 0–3 (index of the correct choice)
// (the dataset's `test` / `validation` / `dev` files). The file given is the scored split; few-shot rows come from a
// `dev` file beside it (a name starting with "dev" and the same extension), as MMLU's dev split.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { ConfigError, brief } from '@dlm/core';
import { readJsonlRows } from './jsonl-rows.ts';
import type { McQuestion, McTask } from './task.ts';

const OP = 'cais/mmlu task';
const COLUMNS = ['question', 'subject', 'choices', 'answer'] as const;

/** True when a row has the cais/mmlu keys. */
export function isCaisMmluRow(v: Record<string, unknown>): boolean {
  return COLUMNS.every((c) => c in v);
}

async function rowsOf(file: string): Promise<{ where: string; value: Record<string, unknown> }[]> {
  if (extname(file) !== '.parquet') {
    return readJsonlRows(file, OP).map((r) => ({ where: `${file}:${r.line}`, value: r.value }));
  }
  let rows: Record<string, unknown>[];
  try {
    const buf = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buf);
    const names = metadata.schema.slice(1).map((s) => s.name);
    const missing = COLUMNS.filter((c) => !names.includes(c));
    if (missing.length) {
      throw new ConfigError(
        { op: OP, arg: file, expected: `columns ${COLUMNS.join(', ')}`, got: `columns ${names.join(', ')}` },
        `has no ${missing.join(', ')}`,
      );
    }
    rows = await parquetReadObjects({ file: buf, metadata, columns: [...COLUMNS] });
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError({ op: OP, arg: file, expected: 'a Parquet file', got: (e as Error).message });
  }
  return rows.map((value, i) => ({ where: `${file}:row ${i}`, value }));
}

function toQuestions(rows: { where: string; value: Record<string, unknown> }[]): McQuestion[] {
  const counts = new Map<string, number>();
  return rows.map(({ where, value: v }) => {
    for (const c of COLUMNS) {
      if (!(c in v))
        throw new ConfigError({ op: OP, arg: where, expected: `a "${c}" field (cais/mmlu schema)` }, 'missing');
    }
    const { question, subject, choices, answer } = v as Record<(typeof COLUMNS)[number], unknown>;
    if (typeof question !== 'string')
      throw new ConfigError({ op: OP, arg: `${where} "question"`, expected: 'a string', got: brief(question) });
    if (typeof subject !== 'string' || subject === '')
      throw new ConfigError({ op: OP, arg: `${where} "subject"`, expected: 'a non-empty string', got: brief(subject) });
    if (!Array.isArray(choices) || choices.length !== 4 || !choices.every((c) => typeof c === 'string')) {
      throw new ConfigError({ op: OP, arg: `${where} "choices"`, expected: '4 strings (A–D)', got: brief(choices) });
    }
    const label = typeof answer === 'bigint' ? Number(answer) : answer;
    if (!(typeof label === 'number' && Number.isInteger(label) && label >= 0 && label < 4)) {
      throw new ConfigError({ op: OP, arg: `${where} "answer"`, expected: 'an index 0–3 (A–D)', got: brief(answer) });
    }
    const index = counts.get(subject) ?? 0;
    counts.set(subject, index + 1);
    return { subject, index, question, choices: choices as string[], label, where };
  });
}

export async function readCaisMmlu(file: string): Promise<McTask> {
  const questions = toQuestions(await rowsOf(file));
  if (questions.length === 0) throw new ConfigError({ op: OP, arg: file, expected: 'at least one row' }, 'is empty');
  questions.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.index - b.index));
  const files = [file];
  const dev = new Map<string, McQuestion[]>();
  const devFile = readdirSync(dirname(file))
    .sort()
    .find((f) => f.startsWith('dev') && extname(f) === extname(file) && f !== basename(file));
  if (devFile && existsSync(join(dirname(file), devFile))) {
    files.push(join(dirname(file), devFile));
    for (const q of toQuestions(await rowsOf(join(dirname(file), devFile)))) {
      dev.set(q.subject, [...(dev.get(q.subject) ?? []), q]);
    }
  }
  return { kind: 'mmlu', questions, dev, files };
}
