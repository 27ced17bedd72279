// Which checkpoint a command uses: `--checkpoint <step|path>` when given (no fallback: the
// user asked for that one), else the one `latest` names — and when that fails its sha256 check,
// the newest earlier one that passes, with a warning naming both. Never silently.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CheckpointError, DlmError } from '@dlm/core';
import { latestCheckpointDir, loadCheckpoint, stepDirName, type LoadedCheckpoint } from './checkpoint.ts';

/** The run's step-N checkpoint directories, newest first. */
export function checkpointDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => /^step-\d+$/.test(d))
    .sort()
    .reverse()
    .map((d) => join(root, d));
}

function explicitDir(root: string, spec: string): string {
  const op = 'checkpoint';
  if (/^\d+$/.test(spec)) {
    const dir = join(root, stepDirName(Number(spec)));
    if (existsSync(dir)) return dir;
    const steps = checkpointDirs(root).map((d) => String(Number(d.slice(d.lastIndexOf('step-') + 5))));
    throw new CheckpointError({
      op,
      arg: `--checkpoint ${spec}`,
      expected: steps.length
        ? `one of the saved steps ${steps.reverse().join(', ')}`
        : 'a saved step (this run has none)',
    });
  }
  const dir = isAbsolute(spec) ? spec : resolve(spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CheckpointError(
      { op, arg: `--checkpoint ${spec}`, expected: 'a step number or a checkpoint directory' },
      'does not exist',
    );
  }
  return dir;
}

/**
 * Load the checkpoint a command should use from `root` (a run's `checkpoints/`), or undefined
 * when the run has none. `spec` is `--checkpoint` (a step or a directory).
 */
export function chooseCheckpoint<S>(
  root: string,
  spec?: string,
  warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): LoadedCheckpoint<S> | undefined {
  if (spec !== undefined) return loadCheckpoint<S>(explicitDir(root, spec));
  const all = checkpointDirs(root);
  const latest = latestCheckpointDir(root) ?? all[0];
  if (latest === undefined) return undefined;
  const order = [latest, ...all.filter((d) => d < latest)];
  let first: unknown;
  for (const dir of order) {
    try {
      const ck = loadCheckpoint<S>(dir);
      if (first !== undefined) {
        warn(`warning: ${(first as Error).message}; using the previous good checkpoint ${dir}`);
      }
      return ck;
    } catch (e) {
      if (!(e instanceof DlmError)) throw e;
      first ??= e;
    }
  }
  throw first;
}
