// Argument checks for sampler inputs: the shared ones from core, plus the logits size.
import { ShapeError } from '@dlm/core';

export { assertTokenIds, assertPositiveInt } from '@dlm/core';

/** Throws ShapeError unless a flat logits array holds rows·L·V values. */
export function assertLogitsSize(
  op: string,
  logits: ArrayLike<number>,
  rows: number,
  length: number,
  vocabSize: number,
): void {
  if (logits.length !== rows * length * vocabSize) {
    throw new ShapeError({
      op,
      arg: 'logits',
      expected: `[${rows}, ${length}, ${vocabSize}] = ${rows * length * vocabSize} values`,
      got: `${logits.length} values`,
    });
  }
}
