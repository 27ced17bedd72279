// Error classes shared by every package. A message names the operation, the argument and
// what was expected, so a researcher can fix the input without reading our source.

export interface ErrorContext {
  /** The operation that refused the input, e.g. `loglinear.totalNoise` or `safetensors.read`. */
  op: string;
  /** The argument, config path, file or tensor that was wrong. */
  arg?: string;
  /** What was expected instead. */
  expected?: string;
  /** What was actually received (stringified briefly). */
  got?: string;
}

function compose(ctx: ErrorContext, detail?: string): string {
  const parts = [`${ctx.op}:`];
  if (ctx.arg !== undefined) parts.push(`${ctx.arg}`);
  if (detail) parts.push(detail);
  if (ctx.expected !== undefined) parts.push(`expected ${ctx.expected}`);
  if (ctx.got !== undefined) parts.push(`got ${ctx.got}`);
  return parts
    .join(' ')
    .replace(/ (expected|got) /g, ', $1 ')
    .replace(/:,/, ':');
}

export class DlmError extends Error {
  readonly op: string;
  readonly arg: string | undefined;
  constructor(ctx: ErrorContext, detail?: string) {
    super(compose(ctx, detail));
    this.name = new.target.name;
    this.op = ctx.op;
    this.arg = ctx.arg;
  }
}

/** A bad configuration value or function argument (type, range, unknown key). */
export class ConfigError extends DlmError {}
/** Tensor or array shapes that do not agree. */
export class ShapeError extends DlmError {}
/** A registry lookup with a name that is not registered. */
export class UnknownComponentError extends DlmError {}
/** A checkpoint / safetensors / shard file that is missing, truncated or malformed. */
export class CheckpointError extends DlmError {}

/** Short printable form of a value for error messages. */
export function brief(value: unknown, max = 80): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) s = String(value);
  else if (ArrayBuffer.isView(value))
    s = `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Throws ShapeError unless the two shapes are equal. */
export function assertSameShape(
  op: string,
  nameA: string,
  a: readonly number[],
  nameB: string,
  b: readonly number[],
): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError({
      op,
      arg: `${nameA} and ${nameB}`,
      expected: 'equal shapes',
      got: `[${a.join(',')}] vs [${b.join(',')}]`,
    });
  }
}

/** Throws ConfigError unless every t is a finite number in [lo, hi]. */
export function assertInRange(op: string, arg: string, x: number, lo: number, hi: number): void {
  if (!(Number.isFinite(x) && x >= lo && x <= hi)) {
    throw new ConfigError({ op, arg, expected: `a number in [${lo}, ${hi}]`, got: brief(x) });
  }
}
