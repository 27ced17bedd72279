// Argument checks shared by every package (losses, samplers, eval): each throws a named error
// (operation, argument, expected, got) instead of letting a typed array index silently give
// undefined → NaN.
import { ConfigError, ShapeError, brief } from './errors.ts';

/** ConfigError unless every id is an integer in [0, vocabSize). */
export function assertTokenIds(op: string, arg: string, ids: ArrayLike<number>, vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < vocabSize)) {
      throw new ConfigError({
        op,
        arg,
        expected: `token ids in [0, ${vocabSize})`,
        got: `${brief(v)} at flat index ${i}`,
      });
    }
  }
}

/** ShapeError unless the flat array holds prod(shape) values. */
export function assertSize(op: string, arg: string, a: ArrayLike<number>, shape: readonly number[]): void {
  const n = shape.reduce((x, y) => x * y, 1);
  if (a.length !== n) throw new ShapeError({ op, arg, expected: `[${shape}] = ${n} values`, got: `${a.length}` });
}

/** ConfigError unless `v` is a positive integer. */
export function assertPositiveInt(op: string, arg: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0))
    throw new ConfigError({ op, arg, expected: 'a positive integer', got: brief(v) });
}
