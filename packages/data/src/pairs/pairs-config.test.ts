import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { resolvePairsConfig } from './pairs-config.ts';

describe('data.pairs config', () => {
  it('fills the defaults: jsonl, prompt, response', () => {
    const want = { format: 'jsonl', path: 'a.jsonl', source_field: 'prompt', target_field: 'response' };
    expect(resolvePairsConfig({ path: 'a.jsonl' })).toEqual(want);
    const diffuseq = { path: 'q.jsonl', source_field: 'src', target_field: 'trg' };
    expect(resolvePairsConfig(diffuseq)).toMatchObject({ source_field: 'src', target_field: 'trg' });
    expect(resolvePairsConfig({ format: 'parquet', path: 'p' }).format).toBe('parquet');
  });
  it('names the key on bad input', () => {
    const formats = /data\.pairs\.format.*jsonl, csv, parquet, arrow/;
    expect(() => resolvePairsConfig({ path: 'a', format: 'txt' })).toThrow(formats);
    expect(() => resolvePairsConfig({ path: 'a', source: 'x' })).toThrow(/data\.pairs\.source.*not a known key/);
    expect(() => resolvePairsConfig({})).toThrow(/data\.pairs\.path/);
    const same = { path: 'a', source_field: 'x', target_field: 'x' };
    expect(() => resolvePairsConfig(same)).toThrow(/data\.pairs\.target_field/);
    expect(() => resolvePairsConfig('a.jsonl')).toThrow(ConfigError);
  });
});
