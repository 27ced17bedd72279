import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.ts';
import { checkResumeData, readDataRecord, writeDataRecord, type DataRecord } from './data-record.ts';

function record(sha: string, stateHash: string, vocabSize = 20): DataRecord {
  return {
    format: 'dlm-data-record',
    version: 1,
    dataset: { name: 'mine', source: 'local files', splitRule: 'rule' },
    files: [{ split: 'all', format: 'txt', path: '/data/a.txt', options: {}, bytes: 10, sha256: sha }],
    prepared: { dir: '/cache/mine', inputKey: `key-${sha}-${stateHash}`, manifestSha256: 'm', tokens: { train: 9 } },
    tokenizer: { name: 'char-vocab', stateHash, vocabSize },
  };
}
const sha = (c: string) => c.repeat(64);

describe('checkResumeData', () => {
  it('writes data.json for a run that has none, and is silent for the same data', () => {
    const run = mkdtempSync(join(tmpdir(), 'dlm-record-'));
    const log: string[] = [];
    checkResumeData(run, record(sha('a'), 's1'), (l) => log.push(l));
    expect(readDataRecord(run)).toEqual(record(sha('a'), 's1'));
    checkResumeData(run, record(sha('a'), 's1'), (l) => log.push(l));
    expect(log).toEqual([]);
  });

  it('warns when the raw bytes changed but the tokenizer did not', () => {
    const run = mkdtempSync(join(tmpdir(), 'dlm-record-'));
    writeDataRecord(run, record(sha('a'), 's1'));
    const log: string[] = [];
    checkResumeData(run, record(sha('b'), 's1'), (l) => log.push(l));
    const change = '/data/a.txt changed (sha256 aaaaaaaaaaaa… → bbbbbbbbbbbb…)';
    expect(log).toEqual([`warning: ${run}: data changed since the run started: ${change}`]);
  });

  it('refuses a changed tokenizer, naming the run and what changed', () => {
    const run = mkdtempSync(join(tmpdir(), 'dlm-record-'));
    writeDataRecord(run, record(sha('a'), 's1', 20));
    const f = () => checkResumeData(run, record(sha('b'), 's2', 19), () => {});
    expect(f).toThrow(DataError);
    expect(f).toThrow(/dlm train --resume: .* was trained on other data: its tokenizer no longer matches/);
    expect(f).toThrow(/, expected the data recorded in data\.json/);
    expect(f).toThrow(/got \/data\/a\.txt changed .*; the tokenizer changed \(vocab 20 → 19\)/);
    const kept = JSON.parse(readFileSync(join(run, 'data.json'), 'utf8')) as DataRecord;
    expect(kept.tokenizer.stateHash).toBe('s1'); // left as it was
  });

  it('a run without data.json reads as undefined; a broken one is a DataError', () => {
    const run = mkdtempSync(join(tmpdir(), 'dlm-record-'));
    expect(existsSync(join(run, 'data.json'))).toBe(false);
    expect(readDataRecord(run)).toBeUndefined();
    writeFileSync(join(run, 'data.json'), '{"format": "dlm-da');
    expect(() => readDataRecord(run)).toThrow(DataError);
    expect(() => readDataRecord(run)).toThrow(/read data record: .*data\.json, expected JSON written by dlm train/);
  });
});
