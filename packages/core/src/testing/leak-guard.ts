// Leak guard: tensor-count checks used by tests in every package. Tensor lifetime in dlm is
// explicit (tf.tidy / dispose), so a function that is supposed to clean up after itself must
// leave tf.memory().numTensors where it found it. Framework-free (throws a plain Error), so it
// works in vitest, in scripts and in the runner's debug mode.
import * as tf from '@tensorflow/tfjs-core';

export class TensorLeakError extends Error {
  constructor(
    readonly label: string,
    readonly delta: number,
    detail: string,
  ) {
    super(`leak guard: ${label} ${detail}`);
    this.name = 'TensorLeakError';
  }
}

function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

function numTensors(): number {
  return tf.memory().numTensors;
}

/** Tensors left alive by `fn` (after minus before). Async functions give a Promise. */
export function tensorCountDelta(fn: () => unknown): number;
export function tensorCountDelta(fn: () => Promise<unknown>): Promise<number>;
export function tensorCountDelta(fn: () => unknown): number | Promise<number> {
  const before = numTensors();
  const r = fn();
  if (isPromiseLike(r)) return Promise.resolve(r).then(() => numTensors() - before);
  return numTensors() - before;
}

export interface LeakGuardOptions {
  /** Names the checked code in the error message. */
  label?: string;
  /** Tensors `fn` is allowed to leave alive (e.g. the ones it returns); default 0. */
  allow?: number;
}

/**
 * Runs `fn` and throws TensorLeakError if it leaves more than `allow` tensors alive. Returns
 * what `fn` returns (a Promise for async functions, checked once it settles).
 */
export function expectNoLeak<T>(fn: () => T, opts: LeakGuardOptions = {}): T {
  const label = opts.label ?? 'function';
  const allow = opts.allow ?? 0;
  const before = numTensors();
  const check = (): void => {
    const delta = numTensors() - before;
    if (delta !== allow) {
      const what = allow === 0 ? '' : ` (allowed ${allow})`;
      throw new TensorLeakError(
        label,
        delta,
        `changed the tensor count by ${delta}${what}: ${before} → ${before + delta}`,
      );
    }
  };
  const r = fn();
  if (isPromiseLike(r)) return Promise.resolve(r).then((v) => (check(), v)) as T;
  check();
  return r;
}

/**
 * Steady-state check for loops (training steps, sampler steps): runs `warmup` steps (which may
 * create optimizer slots or caches), then `steps` more, and throws if the tensor count changes
 * between any two of those. Returns the per-step counts it saw.
 */
export async function expectNoGrowth(
  step: (i: number) => unknown,
  opts: { steps?: number; warmup?: number; label?: string } = {},
): Promise<number[]> {
  const steps = opts.steps ?? 3;
  const warmup = opts.warmup ?? 1;
  let i = 0;
  for (; i < warmup; i++) await step(i);
  const counts = [numTensors()];
  for (let s = 0; s < steps; s++, i++) {
    await step(i);
    counts.push(numTensors());
  }
  const first = counts[0]!;
  const last = counts[counts.length - 1]!;
  if (counts.some((c) => c !== first)) {
    throw new TensorLeakError(
      opts.label ?? 'step',
      last - first,
      `tensor count grew across steps after warm-up: ${counts.join(' → ')}`,
    );
  }
  return counts;
}
