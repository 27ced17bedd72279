// `dlm bench kernels`: matmul GFLOP/s (NN, NT, TN — NT and TN are what a linear layer's backward
// runs) and tokens/s of the benchmark DiT's forward and full training step (forward, backward,
// AdamW) on the current tfjs backend. Timing only here, never in tests.
//
// Profile: after the timed steps, `profileSteps` more forward passes and training steps run under tf.profile,
// whose per-kernel kernelTimeMs is real wall time on the wasm and cpu backends (their kernels are synchronous:
// BackendWasm.time brackets the call with performance.now). Profiling adds a little per-kernel bookkeeping,
// which is why those steps are not the timed ones; the table gives each kernel's share of the profiled steps'
// wall time and the rest (JS between kernels, the autodiff tape, host reads) as "outside kernels". The same
// steps give tf.memory's peak bytes (the largest total after any kernel).
import { AdamW, ConfigError, Rng, brief, matmulGflops, tf } from '@dlm/core';
import {
  benchForward,
  benchNetworkFlops,
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
  /** Forward passes and training steps (each) run under tf.profile after the timed ones; default 1, 0 = none. */
  profileSteps?: number;
}

/** One kernel's total over the profiled steps. */
export interface KernelShare {
  kernel: string;
  calls: number;
  ms: number;
  /** ms ÷ the profiled steps' wall time. */
  share: number;
}

export interface StepProfile {
  steps: number;
  /** Wall time of the profiled steps. */
  wallMs: number;
  /** Σ kernel time; wallMs − kernelMs is time outside kernels. */
  kernelMs: number;
  /** Kernels the program ran (engine depth 0), by time, largest first; their times include nested kernels. */
  kernels: KernelShare[];
  /** Kernel runs inside other kernels (custom-gradient ops), left out of `kernels`. */
  nestedKernels: number;
  /** tf.memory().numBytes peak during these steps (after any kernel). */
  peakBytes: number;
  peakTensors: number;
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
  network: BenchNetworkConfig & { params: number };
  matmul: MatmulFigure[];
  forward: ThroughputFigure;
  train: ThroughputFigure & { firstLoss: number; lastLoss: number };
  /** Matmul FLOPs per step (benchNetworkFlops) and what the timed steps reached. */
  flops: { forward: number; train: number; forwardGflops: number; trainGflops: number };
  /**
   * Process peak RSS (so far, all of `dlm bench kernels`); on wasm the size of its linear memory, which only
   * grows (the heap's high-water mark, fragmentation included); and tf.memory().numBytes peaks of the profiled
   * steps. numBytes counts a buffer once per tensor that holds it (reshapes, and the clones the autodiff tape
   * saves, share buffers), so it overstates the bytes allocated.
   */
  memory: { peakRssBytes: number; wasmHeapBytes?: number; forwardPeakBytes?: number; trainPeakBytes?: number };
  /** Absent when profileSteps = 0. */
  profile?: { forward: StepProfile; train: StepProfile };
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
  'profileSteps',
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

/** The wasm backend's linear memory in bytes (BackendWasm.wasm.HEAPU8), absent on other backends. */
function wasmHeap(): { wasmHeapBytes?: number } {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap ? { wasmHeapBytes: heap.byteLength } : {};
}

type ProfileInfo = Awaited<ReturnType<typeof tf.profile>>;

function summarize(info: ProfileInfo, depths: readonly number[], steps: number, wallMs: number): StepProfile {
  const by = new Map<string, { calls: number; ms: number }>();
  // Only kernels run at depth 0: an op with a custom gradient (logSoftmax) is profiled as one entry whose time
  // includes the kernels it runs, which are profiled too (at depth 1); counting both would count them twice.
  let nested = 0;
  info.kernels.forEach((k, i) => {
    if (depths[i] !== 0) {
      nested++;
      return;
    }
    const e = by.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls += 1;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0; // awaited by tf.profile; {error} never on wasm
    by.set(k.name, e);
  });
  const kernels = [...by]
    .map(([kernel, e]) => ({ kernel, calls: e.calls, ms: e.ms, share: e.ms / wallMs }))
    .sort((a, b) => b.ms - a.ms);
  return {
    steps,
    wallMs,
    kernelMs: kernels.reduce((a, k) => a + k.ms, 0),
    kernels,
    nestedKernels: nested,
    peakBytes: info.peakBytes,
    peakTensors: Math.max(0, ...info.kernels.map((k) => k.totalTensorsSnapshot)),
  };
}

/**
 * Runs `step` n times under tf.profile; the wall time brackets the whole profile. The engine's kernel depth is
 * recorded as each kernel's entry is added (after the kernel returned: 0 for a kernel the program called, ≥ 1 for
 * one run inside another, e.g. inside an op with a custom gradient).
 */
async function profileSteps(n: number, step: (i: number) => Promise<void> | void): Promise<StepProfile> {
  const engine = tf.engine();
  const depths: number[] = [];
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    const list = engine.state.activeProfile.kernels;
    const push = list.push.bind(list);
    list.push = (...items) => {
      for (let i = 0; i < items.length; i++) depths.push(engine.state.kernelDepth);
      return push(...items);
    };
    for (let i = 0; i < n; i++) await step(i);
  });
  return summarize(info, depths, n, performance.now() - t0);
}

export async function runKernelBench(opts: KernelBenchOptions = {}): Promise<KernelBenchResult> {
  for (const k of Object.keys(opts)) {
    if (!OPTION_KEYS.has(k))
      throw new ConfigError(
        { op: 'runKernelBench', arg: k, expected: `one of ${[...OPTION_KEYS].join(', ')}` },
        'is not an option',
      );
  }
  const { steps, warmup, matmulSize, matmulIters, seed, profileSteps: nProfileOpt, ...net } = opts;
  const c = resolveBenchNetwork(net);
  const nSteps = count('steps', steps, 5, 1);
  const nWarmup = count('warmup', warmup, 1, 0);
  const mmSize = count('matmulSize', matmulSize, 1024, 0);
  const mmIters = count('matmulIters', matmulIters, 5, 1);
  const nProfile = count('profileSteps', nProfileOpt, 1, 0);

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
  const batches = Array.from({ length: nWarmup + nSteps + nProfile }, () => sampleBatch(c, data));
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
    const first = nWarmup + nSteps;
    const profile =
      nProfile > 0
        ? {
            forward: await profileSteps(nProfile, async (i) => {
              const logits = benchForward(model, c, batches[first + i]!);
              await logits.data();
              logits.dispose();
            }),
            train: await profileSteps(nProfile, (i) => {
              benchTrainStep(model, opt, c, batches[first + i]!);
            }),
          }
        : undefined;
    const forward = figure(c, fwdMs);
    const train = figure(c, trainMs);
    const flops = benchNetworkFlops(c);
    return {
      tfjsBackend: tf.getBackend(),
      network: { ...c, params: model.numParams() },
      matmul,
      forward,
      train: { ...train, firstLoss: losses[0]!, lastLoss: losses[losses.length - 1]! },
      flops: {
        ...flops,
        forwardGflops: flops.forward / (forward.msPerStep / 1000) / 1e9,
        trainGflops: flops.train / (train.msPerStep / 1000) / 1e9,
      },
      memory: {
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        ...wasmHeap(),
        ...(profile ? { forwardPeakBytes: profile.forward.peakBytes, trainPeakBytes: profile.train.peakBytes } : {}),
      },
      ...(profile ? { profile } : {}),
    };
  } finally {
    opt.dispose();
    model.dispose();
  }
}
