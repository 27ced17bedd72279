import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSbatchParsable, requireSlurmCommands, runSlurm, whichCommand } from './slurm-cli.ts';

function binDir(commands: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'dlm-slurm-cli-'));
  for (const [name, body] of Object.entries(commands)) {
    writeFileSync(join(d, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(d, name), 0o755);
  }
  return d;
}

describe('slurm commands', () => {
  it('names the missing commands and how to get them', () => {
    const d = binDir({ squeue: 'exit 0' });
    expect(whichCommand('squeue', { PATH: d })).toBe(join(d, 'squeue'));
    expect(whichCommand('sbatch', { PATH: d })).toBeUndefined();
    expect(() => requireSlurmCommands({ PATH: d })).toThrow(
      `slurm executor: sbatch, scontrol not found on PATH, expected sbatch, squeue, scontrol on PATH (run on a Slurm` +
        ` login node, or install the client: apt-get install slurm-client), got PATH=${d}`,
    );
    const all = binDir({ sbatch: 'exit 0', squeue: 'exit 0', scontrol: 'exit 0' });
    expect(() => requireSlurmCommands({ PATH: all })).not.toThrow();
  });

  it('runs a command with the given env and reports a failure with its stderr', async () => {
    const d = binDir({ squeue: 'echo "args: $*"', scontrol: 'echo "Invalid job id specified" >&2; exit 1' });
    await expect(runSlurm('squeue', ['-j', '7', '-o', '%i|%T'], { PATH: d })).resolves.toBe('args: -j 7 -o %i|%T\n');
    await expect(runSlurm('scontrol', ['show', 'job', '7'], { PATH: d })).rejects.toThrow(
      'scontrol: show job 7 exited with 1: Invalid job id specified',
    );
  });

  it('parses sbatch --parsable', () => {
    expect(parseSbatchParsable('1234\n')).toBe('1234');
    expect(parseSbatchParsable('1234;cluster-a\n')).toBe('1234');
    expect(() => parseSbatchParsable('Submitted batch job 12')).toThrow(
      'sbatch --parsable: stdout, expected <jobid>[;<cluster>], got Submitted batch job 12',
    );
  });
});
