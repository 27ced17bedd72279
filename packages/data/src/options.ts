// Small option checking for components configured from plain objects (tokenizers, readers,
// datasets): an unknown option is an error that lists the valid ones, and each value is
// type-checked. The runner's zod schemas mirror these; this keeps direct callers honest.
import { ConfigError, brief, didYouMean } from '@dlm/core';

export type OptionKind = 'string' | 'boolean' | 'positive-int' | 'non-negative-int';

export function checkOptions<T extends object>(
  op: string,
  options: object | undefined,
  spec: Record<keyof T & string, OptionKind>,
): Partial<T> {
  const o = (options ?? {}) as Record<string, unknown>;
  const valid = Object.keys(spec);
  for (const [k, v] of Object.entries(o)) {
    const kind = (spec as Record<string, OptionKind | undefined>)[k];
    if (!kind) {
      const guess = didYouMean(k, valid);
      const detail = `is not a known option${guess === undefined ? '' : ` (did you mean ${guess}?)`}`;
      throw new ConfigError(
        { op, arg: `options.${k}`, expected: valid.length ? `one of ${valid.join(', ')}` : 'no options' },
        detail,
      );
    }
    if (v === undefined) continue;
    const ok =
      kind === 'string'
        ? typeof v === 'string' && v.length > 0
        : kind === 'boolean'
          ? typeof v === 'boolean'
          : kind === 'positive-int'
            ? Number.isSafeInteger(v) && (v as number) > 0
            : Number.isSafeInteger(v) && (v as number) >= 0;
    if (!ok)
      throw new ConfigError({
        op,
        arg: `options.${k}`,
        expected: kind === 'string' ? 'a non-empty string' : kind === 'boolean' ? 'a boolean' : `a ${kind} integer`,
        got: brief(v),
      });
  }
  return o as Partial<T>;
}
