// The identity of a resolved experiment in a sweep (a point, or a model its evaluations train once) and the
// `--set` text that resolves it.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../eval-out.ts';
import type { Experiment } from '../experiment.ts';

/** The point hash: sha256 of the canonical JSON of the experiment without its run-local fields. */
export function experimentHash(e: Experiment): string {
  const { name: _name, runs_dir: _runsDir, ...rest } = e;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** `--set key=value` text for one override (JSON is a YAML flow value, so strings, numbers and maps survive). */
export function setText(key: string, value: unknown): string {
  return `${key}=${JSON.stringify(value)}`;
}
