// `trainer.init_from: <run dir>`: a new run starts from another run's trained weights (its latest good
// checkpoint, EMA weights when it kept them) with a fresh optimizer at step 0, as LLaDA's SFT starts from the
// pretrained model. The two runs must read tokens the same way (equal tokenizer state) and build the same
// network (the strict load names any parameter that differs); a resumed run never re-applies it (its own
// checkpoint holds the weights).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@dlm/core';
import type { FamilyModel } from '@dlm/models';
import { loadRunWeights } from './weights.ts';

const OP = 'trainer.init_from';

/** Loads `runDir`'s weights into `model`; `tokenizerState` is this run's tokenizer (as written to tokenizer.json). */
export function warmStart(
  model: FamilyModel,
  runDir: string,
  tokenizerState: unknown,
  log: (line: string) => void,
): { step: number; ema: boolean } {
  const tokFile = join(runDir, 'tokenizer.json');
  if (!existsSync(join(runDir, 'resolved.yaml')) || !existsSync(tokFile)) {
    const expected = 'a dlm run directory (resolved.yaml, tokenizer.json, checkpoints/)';
    throw new ConfigError({ op: OP, arg: 'trainer.init_from', expected, got: runDir }, 'is not a run directory');
  }
  const theirs = JSON.stringify(JSON.parse(readFileSync(tokFile, 'utf8')));
  if (theirs !== JSON.stringify(tokenizerState)) {
    const expected = `the tokenizer of ${runDir} (same data.tokenizer and dataset)`;
    throw new ConfigError({ op: OP, arg: 'data.tokenizer', expected }, 'this experiment tokenizes differently');
  }
  const r = loadRunWeights(model, runDir, { ema: true, warn: log });
  log(`warm start from ${runDir}: step ${r.step} weights${r.ema ? ' (EMA)' : ''}, fresh optimizer`);
  return r;
}
