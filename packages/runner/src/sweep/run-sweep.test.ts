// runSweep's preflight: an executor that cannot run (slurm without sbatch on PATH) fails before the sweep
// directory is written.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runSweep } from './run-sweep.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const smoke = join(repoRoot, 'experiments/sweeps/smoke.yaml');
const path = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = path;
});

describe('runSweep', () => {
  it('--executor slurm without sbatch on PATH: the named error, no sweep directory', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dlm-sweep-')), 'sweep');
    process.env['PATH'] = mkdtempSync(join(tmpdir(), 'dlm-empty-path-'));
    await expect(runSweep(smoke, { out, executor: 'slurm', log: () => {} })).rejects.toThrow(
      /slurm executor: sbatch, squeue, scontrol not found on PATH/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
