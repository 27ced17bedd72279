// `dlm data mc-cloze <dataset> --out f.jsonl` and `dlm data next-word <dataset> --out f.jsonl`: build the task
// (tasks/), write one JSON object per line through a temporary name and a rename (a failed build leaves no file),
// and return a one-line summary.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@dlm/core';
import { buildMcCloze } from '../tasks/mc-cloze.ts';
import { buildNextWord } from '../tasks/next-word.ts';
import type { WordTaskOptions } from '../tasks/word-task.ts';

export interface WordTaskCommandArgs extends WordTaskOptions {
  out: string;
}

function writeJsonl(op: string, file: string, rows: readonly object[]): void {
  if (!file) throw new ConfigError({ op, arg: '--out', expected: 'a file path (.jsonl)' }, 'is missing');
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  renameSync(tmp, file);
}

export async function dataMcClozeCommand(a: WordTaskCommandArgs): Promise<string> {
  const r = await buildMcCloze(a);
  writeJsonl('dlm data mc-cloze', a.out, r.rows);
  const labels = [0, 1, 2, 3].map((k) => r.rows.filter((q) => q.label === k).length);
  return `${a.out}: ${r.rows.length} questions from ${a.dataset} (${a.split ?? 'test'}), labels A–D ${labels.join('/')}, word list ${r.list.words.length} words`;
}

export async function dataNextWordCommand(a: WordTaskCommandArgs): Promise<string> {
  const r = await buildNextWord(a);
  writeJsonl('dlm data next-word', a.out, r.rows);
  return `${a.out}: ${r.rows.length} rows from ${a.dataset} (${a.split ?? 'test'})`;
}
