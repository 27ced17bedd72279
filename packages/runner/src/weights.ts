// Loading a trained run's weights into a freshly built family model: the latest checkpoint's
// EMA weights (`ema.<name>` in optimizer.safetensors) when the run used EMA, else its weights.
import { join } from 'node:path';
import { CheckpointError } from '@dlm/core';
import type { FamilyModel } from '@dlm/models';
import { latestCheckpointDir, loadCheckpoint } from './checkpoint.ts';

export function loadRunWeights(model: FamilyModel, runDir: string, opts: { ema: boolean }): { step: number; ema: boolean } {
  const dir = latestCheckpointDir(join(runDir, 'checkpoints'));
  if (!dir) throw new CheckpointError({ op: 'loadRunWeights', arg: runDir, expected: 'a run with at least one checkpoint' }, 'has no checkpoint');
  const ck = loadCheckpoint(dir);
  model.params.load(ck.model);
  const emaDict = new Map([...ck.optimizer].filter(([k]) => k.startsWith('ema.')).map(([k, v]) => [k.slice(4), v] as const));
  const useEma = opts.ema && emaDict.size > 0;
  if (useEma) model.params.load(emaDict, { strict: false });
  return { step: ck.step, ema: useEma };
}
