import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, readRunState, writeRunState } from './run-state.ts';

describe('run-state.json', () => {
  it('round-trips each state atomically (no temp file left) with pid and time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-state-'));
    expect(readRunState(dir)).toBeUndefined();
    writeRunState(dir, { state: 'running', step: 0, maxSteps: 10 });
    writeRunState(dir, { state: 'failed', step: 3, maxSteps: 10, error: 'ConfigError: x' });
    const s = readRunState(dir)!;
    expect(s).toMatchObject({ state: 'failed', step: 3, maxSteps: 10, error: 'ConfigError: x', pid: process.pid });
    expect(Number.isNaN(Date.parse(s.updated))).toBe(false);
    expect(readdirSync(dir)).toEqual(['run-state.json']);
  });

  it('refuses an unknown state or broken JSON, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-state-'));
    writeFileSync(join(dir, 'run-state.json'), '{"state": "paused"}');
    expect(() => readRunState(dir)).toThrow(/run-state\.json: state.*one of running, interrupted, failed, done/);
    writeFileSync(join(dir, 'run-state.json'), '{"state":');
    expect(() => readRunState(dir)).toThrow(/run-state\.json.*valid JSON/);
  });

  it('isAlive tells a live pid from a dead one', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(2 ** 22 + 12345)).toBe(false);
  });
});
