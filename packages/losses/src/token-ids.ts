// Token-id checks for loss inputs (a wrong id would silently gather a wrong or NaN value).
import { ConfigError, ShapeError, brief } from '@dlm/core';

export function assertTokenIds(op: string, arg: string, ids: ArrayLike<number>, vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < vocabSize)) {
      throw new ConfigError({ op, arg, expected: `token ids in [0, ${vocabSize})`, got: `${brief(v)} at flat index ${i}` });
    }
  }
}

export function assertSize(op: string, arg: string, a: ArrayLike<number>, shape: readonly number[]): void {
  const n = shape.reduce((x, y) => x * y, 1);
  if (a.length !== n) throw new ShapeError({ op, arg, expected: `[${shape}] = ${n} values`, got: `${a.length}` });
}
