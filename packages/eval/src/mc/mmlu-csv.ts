// The original MMLU CSV release (hendrycks/test data.tar): files `<subject>_{dev,val,test}.csv`, flat in one folder
// or in `dev/`, `val/`, `test/` subfolders. No header; six fields per row: question, A, B, C, D, the answer letter
// (A–D). Standard CSV quoting (fixture README `mc/`); fields are kept exactly as stored.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, brief } from '@dlm/core';
import { parseCsvLines } from '../fixtures/csv.ts';
import type { McQuestion, McTask } from './task.ts';

const OP = 'mmlu csv';
export const MMLU_SPLITS = ['dev', 'val', 'test'] as const;
export type MmluSplit = (typeof MMLU_SPLITS)[number];
const LETTERS = ['A', 'B', 'C', 'D'];

/** `{subject: file}` of one split in `dir` (flat `<s>_<split>.csv`, else `<split>/<s>_<split>.csv`). */
export function mmluSplitFiles(dir: string, split: MmluSplit): Map<string, string> {
  const out = new Map<string, string>();
  for (const folder of [dir, join(dir, split)]) {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    for (const f of readdirSync(folder).sort()) {
      const m = new RegExp(`^(.+)_${split}\\.csv$`).exec(f);
      if (m && !out.has(m[1]!)) out.set(m[1]!, join(folder, f));
    }
  }
  return out;
}

/** True when `dir` holds MMLU CSVs of any split. */
export function isMmluCsvFolder(dir: string): boolean {
  return MMLU_SPLITS.some((s) => mmluSplitFiles(dir, s).size > 0);
}

/** The rows of one MMLU CSV, validated: six fields, an answer letter A–D. */
export function readMmluCsv(file: string, subject: string): McQuestion[] {
  let rows;
  try {
    rows = parseCsvLines(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError({ op: OP, arg: file, expected: 'a CSV file (RFC 4180 quoting)', got: (e as Error).message });
  }
  return rows.map(({ line, fields }, index) => {
    const where = `${file}:${line}`;
    if (fields.length !== 6) {
      const expected = '6 fields: question, A, B, C, D, answer letter';
      throw new ConfigError({ op: OP, arg: where, expected, got: `${fields.length} fields` });
    }
    const label = LETTERS.indexOf(fields[5]!);
    if (label < 0) {
      throw new ConfigError({ op: OP, arg: where, expected: 'an answer letter A, B, C or D', got: brief(fields[5]) });
    }
    return { subject, index, question: fields[0]!, choices: fields.slice(1, 5), label, where };
  });
}

/** An MMLU CSV folder: the `split` rows of every subject, and its dev rows as the few-shot pool. */
export function readMmluCsvFolder(dir: string, split: Exclude<MmluSplit, 'dev'>): McTask {
  const files = mmluSplitFiles(dir, split);
  if (files.size === 0) {
    const expected = `<subject>_${split}.csv files (flat, or in ${split}/)`;
    throw new ConfigError({ op: OP, arg: dir, expected }, `holds no ${split} split`);
  }
  const devFiles = mmluSplitFiles(dir, 'dev');
  const questions: McQuestion[] = [];
  const dev = new Map<string, McQuestion[]>();
  const read: string[] = [];
  for (const subject of [...files.keys()].sort()) {
    questions.push(...readMmluCsv(files.get(subject)!, subject));
    read.push(files.get(subject)!);
    const d = devFiles.get(subject);
    if (d) {
      dev.set(subject, readMmluCsv(d, subject));
      read.push(d);
    }
  }
  return { kind: 'mmlu', questions, dev, files: read };
}
