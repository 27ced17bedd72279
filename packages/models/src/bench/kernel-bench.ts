// `dlm bench kernels`: matmul GFLOP/s (NN, NT, TN — NT and TN are what a linear layer's backward
// runs) and tokens/s of the benchmark DiT's forward and full training step (forward, backward,
// AdamW) on the current tfjs backend. Timing only here, never in tests.
import { AdamW, ConfigError, Rng, brief, currentBackend, matmulGflops, tf } from '@dlm/core';
import {
  benchForward,
  benchTrainStep,
  createBenchModel,
  resolveBenchNetwork,
  sampleBatch,
  type BenchNetworkConfig,
} from './bench-network.ts';

export interface KernelBenchOptions extends Partial<BenchNetworkConfig> {
  /** Timed forward passes and training steps (each), after `warmup` untimed ones. Default 5. */
  steps?: number;
  /** Default 1. */
  warmup?: number;
  /** Square matmul size for the GFLOP/s figures; default 1024. 0 skips the matmul part. */
  matmulSize?: number;
  /** Timed matmuls per variant; default 5. */
  matmulIters?: number;
  /** Seeds the parameters and batches. Default 0. */
  seed?: number;
}

export interface MatmulFigure {
  variant: 'NN' | 'NT' | 'TN';
  size: number;
  gflops: number;
  msPerIter: number;
}

export interface ThroughputFigure {
  /** batch·length / seconds per step */
  tokensPerSec: number;
  msPerStep: number;
  steps: number;
}

export interface KernelBenchResult {
  tfjsBackend: string;
  /** The native kernel path (@dlm/native): 'on: <BLAS>, threads n' or 'off: <why>'. */
  native: string;
  network: BenchNetworkConfig & { params: number };
  matmul: MatmulFigure[];
  forward: ThroughputFigure;
  train: ThroughputFigure & { firstLoss: number; lastLoss: number };
}

const OPTION_KEYS = new Set([
  'vocab',
  'width',
  'blocks',
  'heads',
  'condDim',
  'length',
  'batch',
  'steps',
  'warmup',
  'matmulSize',
  'matmulIters',
  'seed',
]);

function count(name: string, v: number | undefined, dflt: number, min: number): number {
  const x = v ?? dflt;
  if (!(Number.isInteger(x) && x >= min))
    throw new ConfigError({ op: 'runKernelBench', arg: name, expected: `an integer ≥ ${min}`, got: brief(v) });
  return x;
}

function figure(c: BenchNetworkConfig, ms: number[]): ThroughputFigure {
  const msPerStep = ms.reduce((a, b) => a + b, 0) / ms.length;
  return { tokensPerSec: (c.batch * c.length) / (msPerStep / 1000), msPerStep, steps: ms.length };
}

export async function runKernelBench(opts: KernelBenchOptions = {}): Promise<KernelBenchResult> {
  for (const k of Object.keys(opts)) {
    if (!OPTION_KEYS.has(k))
      throw new ConfigError(
        { op: 'runKernelBench', arg: k, expected: `one of ${[...OPTION_KEYS].join(', ')}` },
        'is not an option',
      );
  }
  const { steps, warmup, matmulSize, matmulIters, seed, ...net } = opts;
  const c = resolveBenchNetwork(net);
  const nSteps = count('steps', steps, 5, 1);
  const nWarmup = count('warmup', warmup, 1, 0);
  const mmSize = count('matmulSize', matmulSize, 1024, 0);
  const mmIters = count('matmulIters', matmulIters, 5, 1);

  const matmul: MatmulFigure[] = [];
  if (mmSize > 0) {
    for (const variant of ['NN', 'NT', 'TN'] as const) {
      const r = await matmulGflops({ n: mmSize, variant, iters: mmIters, warmup: 1 });
      matmul.push({ variant, size: mmSize, gflops: r.gflops, msPerIter: r.msPerIter });
    }
  }

  const rng = Rng.seeded(count('seed', seed, 0, -Infinity));
  const model = createBenchModel(c, rng.split('params'));
  const opt = new AdamW(model.params.trainable(), { lr: 3e-4, weightDecay: 0 });
  const data = rng.split('data');
  const batches = Array.from({ length: nWarmup + nSteps }, () => sampleBatch(c, data));
  try {
    // Forward: the logits are read back in full (what a sampler does with them).
    const fwdMs: number[] = [];
    for (let i = 0; i < nWarmup + nSteps; i++) {
      const t0 = performance.now();
      const logits = benchForward(model, c, batches[i]!);
      await logits.data();
      logits.dispose();
      if (i >= nWarmup) fwdMs.push(performance.now() - t0);
    }
    const trainMs: number[] = [];
    const losses: number[] = [];
    for (let i = 0; i < nWarmup + nSteps; i++) {
      const t0 = performance.now();
      losses.push(benchTrainStep(model, opt, c, batches[i]!));
      if (i >= nWarmup) trainMs.push(performance.now() - t0);
    }
    const nat = currentBackend()?.native;
    return {
      tfjsBackend: tf.getBackend(),
      native: nat ? `${nat.active ? 'on' : 'off'}: ${nat.detail}` : 'off: initBackend has not run',
      network: { ...c, params: model.numParams() },
      matmul,
      forward: figure(c, fwdMs),
      train: { ...figure(c, trainMs), firstLoss: losses[0]!, lastLoss: losses[losses.length - 1]! },
    };
  } finally {
    opt.dispose();
    model.dispose();
  }
}
