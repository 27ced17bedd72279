// The diffusion run a control classifier is built on: its session (data, tokenizer, block length), its model
// with the run's weights (EMA when kept, as `dlm sample` uses) and what control needs from it: the chain's
// forward process and the word embedding E [V, d] (FamilyModel.embeddingSpace). A run of a family without
// embeddingSpace (anything but diffusion-lm today) is a named error, raised before any weight is read.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, stderrLog, type Nd } from '@dlm/core';
import type { FamilyModel } from '@dlm/models';
import type { GaussianEmbeddingProcess } from '@dlm/processes';
import { openSession, type Session } from '../session.ts';
import { loadRunWeights } from '../weights.ts';

export interface DiffusionRun {
  dir: string;
  session: Session;
  model: FamilyModel;
  process: GaussianEmbeddingProcess;
  /** E [V, d] (float64 host copy of the loaded weights). */
  embedding: Nd;
  /** sha256 of E's float32 bytes: a classifier records it, `dlm sample --control` checks it. */
  embeddingSha256: string;
  checkpointStep: number;
  dispose(): void;
}

export interface OpenDiffusionRunOptions {
  /** The argument that named the run, for errors (`diffusion_run`, `run`). */
  arg: string;
  op: string;
  checkpoint?: string | undefined;
  ema?: boolean | undefined;
  /** `--set` overrides of the run's resolved.yaml (e.g. sampling.predictor=ddim, checked by its schema). */
  sets?: readonly string[] | undefined;
  log?: (line: string) => void;
}

/** Hash of E as float32 (what the network holds), independent of the float64 host copy. */
export function embeddingHash(e: Nd): string {
  const f32 = Float32Array.from(e.data);
  return createHash('sha256').update(new Uint8Array(f32.buffer)).update(JSON.stringify(e.shape)).digest('hex');
}

/** Throws unless `dir` holds a run (resolved.yaml); the error names `arg`. */
export function checkRunDir(dir: string, o: Pick<OpenDiffusionRunOptions, 'arg' | 'op'>, what: string): void {
  if (!existsSync(join(dir, 'resolved.yaml')))
    throw new ConfigError({ op: o.op, arg: o.arg, expected: what, got: dir }, 'is not a run directory');
}

export async function openDiffusionRun(dir: string, o: OpenDiffusionRunOptions): Promise<DiffusionRun> {
  const log = o.log ?? stderrLog;
  checkRunDir(dir, o, 'a trained diffusion-lm run directory (resolved.yaml, checkpoints/)');
  const session = await openSession({ file: join(dir, 'resolved.yaml'), sets: o.sets ?? [], log });
  const model = session.build();
  try {
    if (!model.embeddingSpace) {
      const expected = 'a run of a family with gradient-based control (diffusion-lm)';
      throw new ConfigError({ op: o.op, arg: o.arg, expected, got: `a ${session.family.name} run (${dir})` });
    }
    const loaded = loadRunWeights(model, dir, { ema: o.ema ?? true, checkpoint: o.checkpoint, warn: log });
    const { process, embedding } = model.embeddingSpace();
    return {
      dir,
      session,
      model,
      process,
      embedding,
      embeddingSha256: embeddingHash(embedding),
      checkpointStep: loaded.step,
      dispose: () => model.dispose(),
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
