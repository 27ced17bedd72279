// `dlm bench kernels --compare-torch`: finds a Python with torch and runs the PyTorch twin of the benchmark
// network (packages/models/bench/torch-dit-bench.py) on the same sizes, after dlm's own figures (never
// concurrently: both would share the cores). The twin reports which BLAS torch loaded; the reference (netlib)
// BLAS is ~25× slower than OpenBLAS, so a ratio against it says nothing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@dlm/core';
import type { BenchNetworkConfig } from './bench-network.ts';

/** The PyTorch script kept in the repository. */
export const TORCH_BENCH_SCRIPT = fileURLToPath(new URL('../../bench/torch-dit-bench.py', import.meta.url));

/**
 * Pythons tried in order without `--python`: Debian's own python3 first (where `apt-get install python3-torch`
 * puts torch), then `python3` on PATH (a pyenv or venv one, often without torch).
 */
export const DEFAULT_PYTHONS: readonly string[] = ['/usr/bin/python3', 'python3'];

export const TORCH_INSTALL_HINT =
  'install PyTorch and OpenBLAS for the system Python: apt-get install python3-torch libopenblas0-pthread ' +
  '(or pass --python PATH to a Python that has torch)';

export type TorchPython = { python: string; torch: string } | { python?: undefined; tried: string[] };

/** The first candidate that imports torch, or what each candidate said. */
export function findTorchPython(candidates: readonly string[] = DEFAULT_PYTHONS): TorchPython {
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status === 0) return { python, torch: r.stdout.trim() };
    const why = r.error
      ? r.error.message
      : (r.stderr.trim().split('\n').pop() ?? `exit code ${String(r.status)}`) || `exit code ${String(r.status)}`;
    tried.push(`${python}: ${why}`);
  }
  return { tried };
}

export interface TorchBenchFigure {
  tokensPerSec: number;
  msPerStep: number;
  /** The intra-op thread count of the best run. */
  threads: number;
}

/** What torch-dit-bench.py prints. */
export interface TorchBenchResult {
  torch: string;
  python: string;
  /** 'openblas' | 'mkl' | 'reference' | 'unknown', and the BLAS/LAPACK libraries mapped into the process. */
  blas: { kind: string; libraries: string[] };
  params: number;
  forwardFlops: number;
  steps: number;
  runs: { threads: number; forwardMs: number; trainMs: number }[];
  forward: TorchBenchFigure;
  train: TorchBenchFigure;
  firstLoss: number;
  lastLoss: number;
  peakRssBytes: number;
}

/** Runs the PyTorch twin on `c` with `python`; a failure is an error carrying the script's stderr. */
export function runTorchBench(
  python: string,
  c: BenchNetworkConfig,
  o: { steps: number; warmup: number; seed: number; threads?: readonly number[] },
): TorchBenchResult {
  const args = [
    TORCH_BENCH_SCRIPT,
    ...Object.entries({ ...c, steps: o.steps, warmup: o.warmup, seed: o.seed }).flatMap(([k, v]) => [
      `--${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`,
      String(v),
    ]),
    '--threads',
    (o.threads ?? [1, 2]).join(','),
  ];
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 3_600_000, maxBuffer: 1 << 24 });
  const last = r.status === 0 ? r.stdout.trim().split('\n').pop() : undefined;
  if (!last) {
    // The last line naming an error (a Python traceback ends with it), else the last line.
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    const why =
      r.error?.message ??
      [...lines].reverse().find((l) => /\w*(Error|Exception)\b/.test(l)) ??
      lines.pop() ??
      `exit code ${String(r.status)}`;
    throw new ConfigError(
      {
        op: 'bench kernels --compare-torch',
        arg: 'python',
        expected: 'a Python that runs the torch benchmark',
        got: python,
      },
      `failed: ${why}`,
    );
  }
  return JSON.parse(last) as TorchBenchResult;
}

export interface TorchComparison {
  torch: TorchBenchResult;
  /** dlm tokens/s ÷ torch tokens/s (> 1: dlm is faster). */
  ratio: { forward: number; train: number };
  /** Said when the figures cannot be compared (reference BLAS, a different network). */
  warnings: string[];
}

/** Ratios and the checks that both sides ran the same network on a real BLAS. */
export function compareWithTorch(
  dlm: { forward: { tokensPerSec: number }; train: { tokensPerSec: number }; network: { params: number } },
  flops: { forward: number },
  torch: TorchBenchResult,
): TorchComparison {
  const warnings: string[] = [];
  if (torch.blas.kind === 'reference')
    warnings.push(
      'torch runs on the reference (netlib) BLAS, ~25× slower than OpenBLAS: the ratio is meaningless ' +
        '(apt-get install libopenblas0-pthread, or update-alternatives --config libblas.so.3-x86_64-linux-gnu)',
    );
  else if (torch.blas.kind === 'unknown')
    warnings.push(`could not tell which BLAS torch uses (mapped: ${torch.blas.libraries.join(', ') || 'none'})`);
  if (torch.params !== dlm.network.params)
    warnings.push(`the networks differ: torch has ${torch.params} parameters, dlm ${dlm.network.params}`);
  if (torch.forwardFlops !== flops.forward)
    warnings.push(`the FLOP counts differ: torch ${torch.forwardFlops}, dlm ${flops.forward}`);
  return {
    torch,
    ratio: {
      forward: dlm.forward.tokensPerSec / torch.forward.tokensPerSec,
      train: dlm.train.tokensPerSec / torch.train.tokensPerSec,
    },
    warnings,
  };
}
