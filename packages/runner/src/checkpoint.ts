// Atomic checkpoints. A checkpoint is a directory `checkpoints/step-<N>/` holding
//   model.safetensors      weights under their reference names
//   optimizer.safetensors  optimizer moments (+ EMA shadow weights when used)
//   state.json             step, every Rng state, loader position, optimizer scalars, sha256 of the files
// It is written into a hidden temp directory and renamed into place; then the `latest` file is
// replaced by rename. A kill -9 at any moment leaves either the old or the new checkpoint as
// `latest`, never a half-written one. Loading re-hashes the files and refuses any mismatch.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, readSafetensors, writeSafetensors, type HostTensor, type TensorInput } from '@dlm/core';

export interface CheckpointPayload<S> {
  step: number;
  model: ReadonlyMap<string, TensorInput>;
  optimizer: ReadonlyMap<string, TensorInput>;
  /** JSON-serialisable training state (rng states, loader position, optimizer scalars …). */
  state: S;
}

export interface LoadedCheckpoint<S> {
  dir: string;
  step: number;
  model: Map<string, HostTensor>;
  optimizer: Map<string, HostTensor>;
  state: S;
}

const FILES = ['model.safetensors', 'optimizer.safetensors'] as const;

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function stepDirName(step: number): string {
  return `step-${String(step).padStart(7, '0')}`;
}

function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Write a checkpoint under `root` (the run's `checkpoints/` folder) and point `latest` at it. */
export function saveCheckpoint<S>(root: string, p: CheckpointPayload<S>, keepLast = 2): string {
  mkdirSync(root, { recursive: true });
  const name = stepDirName(p.step);
  const tmp = join(root, `.tmp-${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  writeSafetensors(join(tmp, 'model.safetensors'), p.model, { step: String(p.step) });
  writeSafetensors(join(tmp, 'optimizer.safetensors'), p.optimizer, { step: String(p.step) });
  const hashes = Object.fromEntries(FILES.map((f) => [f, sha256File(join(tmp, f))]));
  writeFileSync(
    join(tmp, 'state.json'),
    JSON.stringify({ format: 1, step: p.step, sha256: hashes, state: p.state }, null, 1),
  );
  const final = join(root, name);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  writeFileAtomic(join(root, 'latest'), `${name}\n`);
  // Keep the newest `keepLast` step directories; remove stale temp dirs of dead writers.
  const steps = readdirSync(root)
    .filter((d) => /^step-\d+$/.test(d))
    .sort();
  for (const d of steps.slice(0, Math.max(0, steps.length - keepLast)))
    if (d !== name) rmSync(join(root, d), { recursive: true, force: true });
  for (const d of readdirSync(root))
    if (d.startsWith('.tmp-') && d !== `.tmp-${name}-${process.pid}`)
      rmSync(join(root, d), { recursive: true, force: true });
  return final;
}

/** The directory `latest` points at, or undefined when the run has no checkpoint yet. */
export function latestCheckpointDir(root: string): string | undefined {
  const latest = join(root, 'latest');
  if (!existsSync(latest)) return undefined;
  const name = readFileSync(latest, 'utf8').trim();
  if (!/^step-\d+$/.test(name))
    throw new CheckpointError({
      op: 'checkpoint.load',
      arg: latest,
      expected: 'the name of a step-N directory',
      got: JSON.stringify(name),
    });
  return join(root, name);
}

/** Load and verify a checkpoint directory (hashes, safetensors structure, state.json). */
export function loadCheckpoint<S>(dir: string): LoadedCheckpoint<S> {
  const op = 'checkpoint.load';
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CheckpointError({ op, arg: dir, expected: 'a checkpoint directory' }, 'does not exist');
  const statePath = join(dir, 'state.json');
  if (!existsSync(statePath)) throw new CheckpointError({ op, arg: statePath }, 'is missing');
  let meta: { format: number; step: number; sha256: Record<string, string>; state: S };
  try {
    meta = JSON.parse(readFileSync(statePath, 'utf8'));
  } catch (e) {
    throw new CheckpointError(
      { op, arg: statePath, expected: 'valid JSON' },
      `cannot be parsed (${(e as Error).message})`,
    );
  }
  if (meta.format !== 1 || !Number.isInteger(meta.step) || typeof meta.sha256 !== 'object') {
    throw new CheckpointError({ op, arg: statePath, expected: 'format 1 with step and sha256 fields' });
  }
  for (const f of FILES) {
    const p = join(dir, f);
    if (!existsSync(p)) throw new CheckpointError({ op, arg: p }, 'is missing');
    const h = sha256File(p);
    if (h !== meta.sha256[f]) {
      throw new CheckpointError(
        { op, arg: p, expected: `sha256 ${meta.sha256[f]?.slice(0, 12)}…`, got: `${h.slice(0, 12)}…` },
        'is corrupt or truncated',
      );
    }
  }
  return {
    dir,
    step: meta.step,
    model: readSafetensors(join(dir, 'model.safetensors')).tensors,
    optimizer: readSafetensors(join(dir, 'optimizer.safetensors')).tensors,
    state: meta.state,
  };
}
