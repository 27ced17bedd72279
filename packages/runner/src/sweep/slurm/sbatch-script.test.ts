import { describe, expect, it } from 'vitest';
import { resourceLines, sbatchScript, shellQuote } from './sbatch-script.ts';

const base = {
  name: 'lr-sweep',
  sweepDir: '/work/sweeps/lr-sweep-1',
  indices: [0, 1, 2, 5],
  node: '/usr/local/bin/node',
  dlm: '/repo/packages/cli/bin/dlm.js',
  cwd: '/repo',
};

describe('sbatchScript', () => {
  it('writes the whole script for a sweep with every resource', () => {
    const text = sbatchScript({
      ...base,
      throttle: 2,
      slurm: {
        partition: 'cpu',
        time: '01:00:00',
        cpus_per_task: 4,
        gpus: 1,
        mem: '8G',
        account: 'proj-42',
        extra: ['--qos=short', '#SBATCH --constraint=avx2'],
      },
    });
    expect(text).toBe(
      [
        '#!/bin/bash',
        '# dlm sweep lr-sweep: 4 point(s), one array task per point (task id = point index).',
        '# Written by `dlm sweep run --executor slurm`; resubmit by hand with `sbatch <this file>`.',
        '#SBATCH --job-name="dlm-lr-sweep"',
        '#SBATCH --array=0-2,5%2',
        '#SBATCH --output="/work/sweeps/lr-sweep-1/logs/%A_%a.out"',
        '#SBATCH --error="/work/sweeps/lr-sweep-1/logs/%A_%a.err"',
        '#SBATCH --partition="cpu"',
        '#SBATCH --time="01:00:00"',
        '#SBATCH --cpus-per-task="4"',
        '#SBATCH --gpus="1"',
        '#SBATCH --mem="8G"',
        '#SBATCH --account="proj-42"',
        '#SBATCH --qos=short',
        '#SBATCH --constraint=avx2',
        'set -euo pipefail',
        "cd '/repo'",
        'export DLM_THREADS=4',
        "exec '/usr/local/bin/node' '/repo/packages/cli/bin/dlm.js' sweep run-point '/work/sweeps/lr-sweep-1'" +
          ' --index "$SLURM_ARRAY_TASK_ID"',
        '',
      ].join('\n'),
    );
  });

  it('without a slurm section: no resource lines, no throttle, one thread (Slurm gives one CPU per task)', () => {
    const text = sbatchScript({ ...base, indices: [3] });
    expect(text).toContain('#SBATCH --array=3\n');
    expect(text).not.toMatch(/--(partition|time|cpus-per-task|gpus|mem|account)=/);
    expect(text).toContain('export DLM_THREADS=1\n');
  });

  it('quotes paths with spaces and quotes for the shell and for #SBATCH', () => {
    const text = sbatchScript({ ...base, sweepDir: "/data/my sweeps/it's", cwd: '/home/a b' });
    expect(text).toContain(`#SBATCH --output="/data/my sweeps/it's/logs/%A_%a.out"`);
    expect(text).toContain(`cd '/home/a b'\n`);
    expect(text).toContain(`sweep run-point '/data/my sweeps/it'\\''s' --index "$SLURM_ARRAY_TASK_ID"`);
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
  });

  it('refuses relative paths, newlines, double quotes and bad counts, naming the key', () => {
    expect(() => sbatchScript({ ...base, node: 'node' })).toThrow('sbatch script: node, expected an absolute path');
    expect(() => sbatchScript({ ...base, sweepDir: 'sweeps/x' })).toThrow('sbatch script: sweepDir');
    expect(() => resourceLines({ partition: 'a\nb' })).toThrow('sbatch script: slurm.partition, expected a value');
    expect(() => resourceLines({ account: 'a"b' })).toThrow('slurm.account');
    expect(() => resourceLines({ cpus_per_task: 0 })).toThrow('slurm.cpus_per_task, expected an integer ≥ 1, got 0');
    expect(() => resourceLines({ gpus: 1.5 })).toThrow('slurm.gpus, expected an integer ≥ 1, got 1.5');
    expect(() => resourceLines({ extra: ['--qos=x', ' '] })).toThrow('slurm.extra[1], expected one non-empty line');
  });
});
