import { mkdtempSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveCheckpoint } from './checkpoint.ts';
import { checkpointDirs, chooseCheckpoint } from './checkpoint-choice.ts';

const payload = (step: number) => ({
  step,
  model: new Map([['w', { dtype: 'F32' as const, shape: [2], data: [1, step] }]]),
  optimizer: new Map([['w.m', { dtype: 'F32' as const, shape: [2], data: [0, 0] }]]),
  state: { step },
});

function run(steps: number[], keep = 3): string {
  const root = mkdtempSync(join(tmpdir(), 'dlm-choice-'));
  for (const s of steps) saveCheckpoint(root, payload(s), keep);
  return root;
}

function corrupt(dir: string): void {
  const f = join(dir, 'model.safetensors');
  truncateSync(f, statSync(f).size - 2);
}

describe('chooseCheckpoint', () => {
  it('latest by default; a step number or a directory when asked', () => {
    const root = run([10, 20, 30]);
    expect(checkpointDirs(root).map((d) => d.slice(-12))).toEqual(['step-0000030', 'step-0000020', 'step-0000010']);
    expect(chooseCheckpoint(root)!.step).toBe(30);
    expect(chooseCheckpoint(root, '20')!.step).toBe(20);
    expect(chooseCheckpoint(root, join(root, 'step-0000010'))!.step).toBe(10);
    expect(chooseCheckpoint(mkdtempSync(join(tmpdir(), 'dlm-empty-')))).toBeUndefined();
  });

  it('a corrupt latest falls back to the previous good one with a warning naming both', () => {
    const root = run([10, 20, 30]);
    corrupt(join(root, 'step-0000030'));
    const warnings: string[] = [];
    const ck = chooseCheckpoint(root, undefined, (l) => warnings.push(l))!;
    expect(ck.step).toBe(20);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/step-0000030.*corrupt or truncated.*previous good checkpoint .*step-0000020/);
  });

  it('an explicit choice never falls back; unknown steps list the saved ones; all corrupt → the error', () => {
    const root = run([10, 20]);
    corrupt(join(root, 'step-0000020'));
    expect(() => chooseCheckpoint(root, '20')).toThrow(/corrupt or truncated/);
    expect(() => chooseCheckpoint(root, '15')).toThrow(/--checkpoint 15.*one of the saved steps 10, 20/);
    expect(() => chooseCheckpoint(root, '/nonexistent/ck')).toThrow(/--checkpoint \/nonexistent\/ck.*does not exist/);
    corrupt(join(root, 'step-0000010'));
    expect(() => chooseCheckpoint(root, undefined, () => {})).toThrow(/step-0000020.*corrupt/);
  });
});
