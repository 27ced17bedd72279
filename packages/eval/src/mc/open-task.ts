// `--task <folder|file>` of `dlm eval mc`, recognised by content: a folder of MMLU CSVs; a `.csv` (one MMLU
// subject, named by `<subject>_<split>.csv`); a `.parquet` in the cais/mmlu schema; a `.jsonl` whose first row has
// either the generic continuation keys (context, choices, label) or the cais/mmlu keys.
import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ConfigError } from '@dlm/core';
import { readCaisMmlu, isCaisMmluRow } from './cais-mmlu.ts';
import { readContinuationJsonl, isContinuationRow } from './continuation-jsonl.ts';
import { readJsonlRows } from './jsonl-rows.ts';
import { isMmluCsvFolder, readMmluCsv, readMmluCsvFolder } from './mmlu-csv.ts';
import type { McTask } from './task.ts';

const OP = 'dlm eval mc';
const EXPECTED =
  'an MMLU CSV folder (<subject>_{dev,val,test}.csv, flat or in dev/ val/ test/), a cais/mmlu Parquet or JSONL ' +
  'file (question, subject, choices, answer), or a continuation JSONL (context, choices, label)';

export async function openMcTask(path: string, split: 'test' | 'val' = 'test'): Promise<McTask> {
  if (!existsSync(path))
    throw new ConfigError({ op: OP, arg: '--task', expected: EXPECTED, got: path }, 'does not exist');
  if (statSync(path).isDirectory()) {
    if (!isMmluCsvFolder(path)) throw new ConfigError({ op: OP, arg: '--task', expected: EXPECTED, got: path });
    return readMmluCsvFolder(path, split);
  }
  const ext = extname(path);
  if (ext === '.csv') {
    const subject = basename(path, ext).replace(/_(dev|val|test)$/, '');
    return { kind: 'mmlu', questions: readMmluCsv(path, subject), dev: new Map(), files: [path] };
  }
  if (ext === '.parquet') return readCaisMmlu(path);
  if (ext === '.jsonl' || ext === '.json') {
    const first = readJsonlRows(path, OP)[0];
    if (first && isContinuationRow(first.value)) return readContinuationJsonl(path);
    if (first && isCaisMmluRow(first.value)) return readCaisMmlu(path);
    const got = first ? `first row keys: ${Object.keys(first.value).join(', ')}` : 'no rows';
    throw new ConfigError({ op: OP, arg: `${path}:${first?.line ?? 1}`, expected: EXPECTED, got });
  }
  throw new ConfigError({ op: OP, arg: '--task', expected: EXPECTED, got: path });
}
