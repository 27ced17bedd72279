// Loading a trained run's weights into a freshly built family model: the latest checkpoint's
// EMA weights (`ema.<name>` in optimizer.safetensors) when the run used EMA, else its weights.
import { join } from 'node:path';
import { CheckpointError } from '@dlm/core';
import type { FamilyModel } from '@dlm/models';
import { chooseCheckpoint } from './checkpoint-choice.ts';

/**
 * `opts.checkpoint`: `--checkpoint <step|dir>`; default the latest checkpoint that passes its
 * sha256 check (a corrupt latest → the previous good one, with a warning through `warn`).
 */
export function loadRunWeights(
  model: Pick<FamilyModel, 'params'>,
  runDir: string,
  opts: { ema: boolean; checkpoint?: string | undefined; warn?: (line: string) => void },
): { step: number; ema: boolean } {
  const ck = chooseCheckpoint(join(runDir, 'checkpoints'), opts.checkpoint, opts.warn);
  if (!ck)
    throw new CheckpointError(
      { op: 'loadRunWeights', arg: runDir, expected: 'a run with at least one checkpoint' },
      'has no checkpoint',
    );
  model.params.load(ck.model);
  const emaDict = new Map(
    [...ck.optimizer].filter(([k]) => k.startsWith('ema.')).map(([k, v]) => [k.slice(4), v] as const),
  );
  const useEma = opts.ema && emaDict.size > 0;
  if (useEma) model.params.load(emaDict, { strict: false });
  return { step: ck.step, ema: useEma };
}
