// run-state.json: what a run directory is doing, for people and for the sweep executors that read
// it instead of guessing from files. Written atomically (temp file + rename), so a reader never
// sees half a file, also after kill -9.
//   running      a process is training it (pid), or died without a word (the pid is gone)
//   interrupted  SIGINT/SIGTERM: a checkpoint at `step` was written; `dlm train --resume` continues
//   failed       the error that stopped it (name and message)
//   done         max_steps reached; summary, plot and samples written
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@dlm/core';

export const RUN_STATES = ['running', 'interrupted', 'failed', 'done'] as const;
export type RunStateName = (typeof RUN_STATES)[number];

export interface RunState {
  state: RunStateName;
  /** Optimizer steps completed (the latest checkpoint's step for interrupted / done). */
  step: number;
  maxSteps: number;
  pid: number;
  /** ISO time of this write. */
  updated: string;
  /** failed: `<ErrorName>: <message>`; interrupted: the signal. */
  error?: string | undefined;
  signal?: string | undefined;
}

export const RUN_STATE_FILE = 'run-state.json';

export function writeRunState(runDir: string, s: Omit<RunState, 'pid' | 'updated'>): RunState {
  const full: RunState = { ...s, pid: process.pid, updated: new Date().toISOString() };
  const path = join(runDir, RUN_STATE_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(full, null, 1)}\n`);
  renameSync(tmp, path);
  return full;
}

/** The run's state, or undefined for a run made before run-state.json existed. */
export function readRunState(runDir: string): RunState | undefined {
  const path = join(runDir, RUN_STATE_FILE);
  if (!existsSync(path)) return undefined;
  let s: RunState;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as RunState;
  } catch (e) {
    throw new ConfigError(
      { op: 'readRunState', arg: path, expected: 'valid JSON' },
      `cannot be parsed (${(e as Error).message})`,
    );
  }
  if (!(RUN_STATES as readonly string[]).includes(s.state)) {
    throw new ConfigError({
      op: 'readRunState',
      arg: `${path}: state`,
      expected: `one of ${RUN_STATES.join(', ')}`,
      got: JSON.stringify(s.state),
    });
  }
  return s;
}

/** True when the process a `running` state names is still alive (same machine). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
