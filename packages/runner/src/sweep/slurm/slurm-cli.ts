// The Slurm client commands the executor calls (sbatch, squeue, scontrol), found on PATH before anything is
// written or submitted, and run without a shell (argv, no quoting). `env` is passed through so tests can put
// fake commands first on PATH.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ConfigError, DlmError } from '@dlm/core';

export const SLURM_COMMANDS = ['sbatch', 'squeue', 'scontrol'] as const;
export type SlurmCommand = (typeof SLURM_COMMANDS)[number];

/** A Slurm client command that exited non-zero (its stderr is in the message). */
export class SlurmCommandError extends DlmError {
  readonly stderr: string;
  constructor(command: string, args: readonly string[], code: number | string | null, stderr: string) {
    super({ op: command, arg: args.join(' ') }, `exited with ${String(code)}: ${stderr.trim() || '(no stderr)'}`);
    this.stderr = stderr;
  }
}

/** Absolute path of `command` on `env.PATH`, or undefined. */
export function whichCommand(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const d of (env.PATH ?? '').split(delimiter)) {
    if (!d) continue;
    const p = join(d, command);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Throws a named error unless sbatch, squeue and scontrol are all on PATH. */
export function requireSlurmCommands(env: NodeJS.ProcessEnv = process.env): void {
  const missing = SLURM_COMMANDS.filter((c) => whichCommand(c, env) === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      {
        op: 'slurm executor',
        arg: missing.join(', '),
        expected: `${SLURM_COMMANDS.join(', ')} on PATH (run on a Slurm login node, or install the client: apt-get install slurm-client)`,
        got: `PATH=${env.PATH ?? ''}`,
      },
      'not found on PATH',
    );
  }
}

/** Runs a Slurm command; resolves with stdout, rejects with SlurmCommandError. */
export function runSlurm(command: SlurmCommand, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new SlurmCommandError(command, args, (err as { code?: number | string }).code ?? null, stderr));
      else resolve(stdout);
    });
  });
}

/** The job id from `sbatch --parsable` output: `<jobid>` or `<jobid>;<cluster>`. */
export function parseSbatchParsable(stdout: string): string {
  const first = stdout.trim().split('\n').pop() ?? '';
  const id = first.split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) {
    throw new ConfigError({
      op: 'sbatch --parsable',
      arg: 'stdout',
      expected: '<jobid>[;<cluster>]',
      got: stdout.trim(),
    });
  }
  return id;
}
