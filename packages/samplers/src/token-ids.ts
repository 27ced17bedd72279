// Shared argument checks for sampler inputs: token ids and logits sizes. A wrong id would
// otherwise index outside a [V] row silently (typed arrays return undefined → NaN).
import { ConfigError, ShapeError, brief } from '@dlm/core';

/** Throws ConfigError naming `op` and `arg` unless every id is an integer in [0, vocabSize). */
export function assertTokenIds(op: string, arg: string, ids: ArrayLike<number>, vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < vocabSize)) {
      throw new ConfigError({ op, arg, expected: `token ids in [0, ${vocabSize})`, got: `${brief(v)} at flat index ${i}` });
    }
  }
}

/** Throws ConfigError unless `v` is a positive integer. */
export function assertPositiveInt(op: string, arg: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new ConfigError({ op, arg, expected: 'a positive integer', got: brief(v) });
}

/** Throws ShapeError unless a flat logits array holds rows·L·V values. */
export function assertLogitsSize(op: string, logits: ArrayLike<number>, rows: number, length: number, vocabSize: number): void {
  if (logits.length !== rows * length * vocabSize) {
    throw new ShapeError({
      op,
      arg: 'logits',
      expected: `[${rows}, ${length}, ${vocabSize}] = ${rows * length * vocabSize} values`,
      got: `${logits.length} values`,
    });
  }
}
