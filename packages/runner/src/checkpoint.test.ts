import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError } from '@dlm/core';
import { latestCheckpointDir, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';

function payload(step: number) {
  return {
    step,
    model: new Map([['w', { dtype: 'F32' as const, shape: [2, 2], data: [1, 2, 3, step] }]]),
    optimizer: new Map([['w.m', { dtype: 'F32' as const, shape: [2, 2], data: [0.1, 0.2, 0.3, 0.4] }]]),
    state: { rng: { path: '1', s: [1, 2, 3, 4] }, loader: { epoch: 0, index: step } },
  };
}

describe('checkpoints', () => {
  it('save → latest → load round-trips, keeps the newest two', () => {
    const root = mkdtempSync(join(tmpdir(), 'dlm-ck-'));
    for (const s of [10, 20, 30]) saveCheckpoint(root, payload(s));
    expect(readdirSync(root).sort()).toEqual(['latest', 'step-0000020', 'step-0000030']);
    const ck = loadCheckpoint<ReturnType<typeof payload>['state']>(latestCheckpointDir(root)!);
    expect(ck.step).toBe(30);
    expect([...ck.model.get('w')!.data]).toEqual([1, 2, 3, 30]);
    expect(ck.state.loader.index).toBe(30);
  });

  it('a truncated or altered weight file is a CheckpointError naming the file', () => {
    const root = mkdtempSync(join(tmpdir(), 'dlm-ck-'));
    const dir = saveCheckpoint(root, payload(5));
    const f = join(dir, 'model.safetensors');
    truncateSync(f, statSync(f).size - 3);
    expect(() => loadCheckpoint(dir)).toThrow(CheckpointError);
    expect(() => loadCheckpoint(dir)).toThrow(/model\.safetensors is corrupt or truncated/);
  });

  it('a corrupt state.json or a missing directory is named', () => {
    const root = mkdtempSync(join(tmpdir(), 'dlm-ck-'));
    const dir = saveCheckpoint(root, payload(5));
    writeFileSync(join(dir, 'state.json'), '{"format": 1, "step":');
    expect(() => loadCheckpoint(dir)).toThrow(/state\.json.*cannot be parsed/);
    expect(() => loadCheckpoint(join(root, 'nope'))).toThrow(/nope does not exist/);
  });

  it('no checkpoint yet → latest is undefined; a garbage latest file is an error', () => {
    const root = mkdtempSync(join(tmpdir(), 'dlm-ck-'));
    expect(latestCheckpointDir(root)).toBeUndefined();
    writeFileSync(join(root, 'latest'), '../../etc');
    expect(() => latestCheckpointDir(root)).toThrow(CheckpointError);
    expect(readFileSync(join(root, 'latest'), 'utf8')).toBe('../../etc');
  });
});
