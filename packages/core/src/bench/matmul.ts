// matmul GFLOP/s on the current backend, for `dlm info` (1024×1024 NN) and `dlm bench kernels`
// (NN / NT / TN: NT and TN are what the backward pass of a linear layer runs). Speed lives in
// benchmarks only; tests check that this returns a positive number, never a timing.
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, brief } from '../errors.ts';

export type MatmulVariant = 'NN' | 'NT' | 'TN' | 'TT';
const VARIANTS: readonly MatmulVariant[] = ['NN', 'NT', 'TN', 'TT'];

export interface MatmulBenchOptions {
  /** C [m, n] = A [m, k] · B [k, n]. Only `n` given → square (m = k = n); default 1024. */
  m?: number;
  k?: number;
  n?: number;
  /** Which operands are stored transposed: NT = A·Bᵀ with B [n, k], TN = Aᵀ·B with A [k, m]. */
  variant?: MatmulVariant;
  /** Leading batch dimension (both operands); default none. */
  batch?: number;
  /** Timed iterations (default 10) after `warmup` untimed ones (default 2). */
  iters?: number;
  warmup?: number;
}

export interface MatmulBenchResult {
  gflops: number;
  msPerIter: number;
  m: number;
  k: number;
  n: number;
  batch: number;
  variant: MatmulVariant;
  backend: string;
}

function positiveInt(name: string, v: number | undefined, dflt: number, min = 1): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min) {
    throw new ConfigError({ op: 'matmulGflops', arg: name, expected: `an integer ≥ ${min}`, got: brief(v) });
  }
  return x;
}

/** Times `iters` float32 matmuls of the requested shape; each result is read back (dataSync). */
export async function matmulGflops(opts: MatmulBenchOptions = {}): Promise<MatmulBenchResult> {
  const variant = opts.variant ?? 'NN';
  if (!VARIANTS.includes(variant)) {
    throw new ConfigError({
      op: 'matmulGflops',
      arg: 'variant',
      expected: `one of ${VARIANTS.join(', ')}`,
      got: brief(variant),
    });
  }
  const n = positiveInt('n', opts.n, opts.m ?? opts.k ?? 1024);
  const m = positiveInt('m', opts.m, n);
  const k = positiveInt('k', opts.k, n);
  const batch = positiveInt('batch', opts.batch, 1);
  const iters = positiveInt('iters', opts.iters, 10);
  const warmup = positiveInt('warmup', opts.warmup, 2, 0);
  const tA = variant[0] === 'T';
  const tB = variant[1] === 'T';
  const lead = opts.batch === undefined ? [] : [batch];
  const a = tf.randomUniform([...lead, ...(tA ? [k, m] : [m, k])], -1, 1, 'float32', 1);
  const b = tf.randomUniform([...lead, ...(tB ? [n, k] : [k, n])], -1, 1, 'float32', 2);
  const once = (): void => {
    const c = tf.matMul(a, b, tA, tB);
    c.dataSync();
    c.dispose();
  };
  try {
    for (let i = 0; i < warmup; i++) once();
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) once();
    const ms = (performance.now() - t0) / iters;
    const flops = 2 * m * n * k * batch;
    return { gflops: flops / (ms * 1e6), msPerIter: ms, m, k, n, batch, variant, backend: tf.getBackend() };
  } finally {
    a.dispose();
    b.dispose();
  }
}
