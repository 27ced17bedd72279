// data.json of a run directory: what the run trained on. Kept beside resolved.yaml rather than
// inside it, so the resolved experiment stays the same text for the same YAML while this file
// changes whenever the data does (raw files are hashed, the prepared manifest too).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetEntry, InputFile } from './corpora/dataset.ts';
import { DataError } from './errors.ts';
import type { PreparedData } from './prepare/load.ts';
import { sha256Hex } from './tokenizers/tokenizer.ts';

export const DATA_RECORD_FILE = 'data.json';

export interface DataRecord {
  format: 'dlm-data-record';
  version: 1;
  dataset: { name: string; source: string; splitRule: string };
  /** Raw files with absolute paths and sha256 (local-file datasets only). */
  files?: readonly InputFile[];
  prepared: {
    /** Absolute path of the prepared folder. */
    dir: string;
    inputKey: string;
    /** sha256 of manifest.json's bytes (the manifest lists every shard's sha256). */
    manifestSha256: string;
    tokens: Partial<Record<string, number>>;
  };
  tokenizer: { name: string; stateHash: string; vocabSize: number };
}

export async function dataRecord(entry: DatasetEntry, prepared: PreparedData): Promise<DataRecord> {
  const m = prepared.manifest;
  const files = entry.files ? await entry.files() : undefined;
  return {
    format: 'dlm-data-record',
    version: 1,
    dataset: { name: entry.name, source: entry.source, splitRule: entry.splitRule },
    ...(files ? { files } : {}),
    prepared: {
      dir: prepared.dir,
      inputKey: m.inputKey,
      manifestSha256: sha256Hex(readFileSync(join(prepared.dir, 'manifest.json'))),
      tokens: Object.fromEntries(Object.entries(m.splits).map(([s, i]) => [s, i?.tokens ?? 0])),
    },
    tokenizer: { name: m.tokenizer.name, stateHash: m.tokenizer.stateHash, vocabSize: m.tokenizer.vocabSize },
  };
}

export function writeDataRecord(runDir: string, record: DataRecord): void {
  writeFileSync(join(runDir, DATA_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** The run's data.json, or undefined for a run made before runs recorded their data. */
export function readDataRecord(runDir: string): DataRecord | undefined {
  const f = join(runDir, DATA_RECORD_FILE);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as DataRecord;
  } catch (e) {
    const got = (e as Error).message;
    throw new DataError({ op: 'read data record', arg: f, expected: 'JSON written by dlm train', got });
  }
}

/** Human-readable differences that change what a model sees (raw bytes, tokenizer), empty when none. */
export function dataRecordChanges(before: DataRecord, now: DataRecord): string[] {
  const out: string[] = [];
  const old = new Map((before.files ?? []).map((f) => [`${f.split} ${f.path}`, f]));
  for (const f of now.files ?? []) {
    const o = old.get(`${f.split} ${f.path}`);
    if (!o) out.push(`${f.path} (${f.split}) is new`);
    else if (o.sha256 !== f.sha256) {
      out.push(`${f.path} changed (sha256 ${o.sha256.slice(0, 12)}… → ${f.sha256.slice(0, 12)}…)`);
    }
    old.delete(`${f.split} ${f.path}`);
  }
  for (const o of old.values()) out.push(`${o.path} (${o.split}) is no longer read`);
  if (before.tokenizer.stateHash !== now.tokenizer.stateHash) {
    out.push(`the tokenizer changed (vocab ${before.tokenizer.vocabSize} → ${now.tokenizer.vocabSize})`);
  }
  if (!out.length && before.prepared.inputKey !== now.prepared.inputKey) out.push('the prepared data changed');
  return out;
}

/**
 * Resuming `runDir` on the data `now`: a changed tokenizer is refused (the checkpoint's token ids
 * would mean other tokens); changed raw files with the same tokenizer are logged as a warning.
 * A run without data.json (made before runs recorded their data) gets one now.
 */
export function checkResumeData(runDir: string, now: DataRecord, log: (line: string) => void): void {
  const before = readDataRecord(runDir);
  if (!before) return writeDataRecord(runDir, now);
  const changes = dataRecordChanges(before, now);
  if (before.tokenizer.stateHash !== now.tokenizer.stateHash) {
    throw new DataError(
      {
        op: 'dlm train --resume',
        arg: runDir,
        expected: `the data recorded in ${DATA_RECORD_FILE}`,
        got: changes.join('; '),
      },
      'was trained on other data: its tokenizer no longer matches',
    );
  }
  for (const c of changes) log(`warning: ${runDir}: data changed since the run started: ${c}`);
}
