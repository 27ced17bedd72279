import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '@dlm/core';
import { BENCH_NETWORK_DEFAULTS, benchNetworkFlops } from './bench-network.ts';
import { formatKernelBench } from './format-kernel-bench.ts';
import type { KernelBenchResult } from './kernel-bench.ts';
import {
  DEFAULT_PYTHONS,
  TORCH_BENCH_SCRIPT,
  TORCH_INSTALL_HINT,
  compareWithTorch,
  findTorchPython,
  runTorchBench,
  type TorchBenchResult,
} from './torch-compare.ts';

const dlm = {
  forward: { tokensPerSec: 3000 },
  train: { tokensPerSec: 900 },
  network: { params: 5_420_033 },
};
const torchResult = (over: Partial<TorchBenchResult> = {}): TorchBenchResult => ({
  torch: '1.13.0',
  python: '/usr/bin/python3',
  blas: {
    kind: 'openblas',
    libraries: [
      '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
      '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
    ],
  },
  params: 5_420_033,
  forwardFlops: benchNetworkFlops(BENCH_NETWORK_DEFAULTS).forward,
  steps: 5,
  runs: [
    { threads: 1, forwardMs: 200, trainMs: 700 },
    { threads: 2, forwardMs: 150, trainMs: 600 },
  ],
  forward: { tokensPerSec: 12_000, msPerStep: 150, threads: 2 },
  train: { tokensPerSec: 3600, msPerStep: 600, threads: 2 },
  firstLoss: 6.93,
  lastLoss: 6.9,
  peakRssBytes: 600 * 2 ** 20,
  ...over,
});

describe('the PyTorch comparison', () => {
  it('the script is kept in the repository and counts FLOPs with the formula of benchNetworkFlops', () => {
    expect(existsSync(TORCH_BENCH_SCRIPT)).toBe(true);
    const src = readFileSync(TORCH_BENCH_SCRIPT, 'utf8');
    expect(src).toContain('def forward_flops(a):');
    expect(src).toContain('approximate="tanh"');
    // 4 blocks: qkv 805M + attention 268M + out 268M + MLP 2,147M + adaLN 12.6M; head 1,075M; σ map 2.6M.
    expect(benchNetworkFlops(BENCH_NETWORK_DEFAULTS)).toEqual({ forward: 15_087_960_064, train: 45_263_880_192 });
  });

  it('Debian python3 is tried before the one on PATH', () => {
    expect(DEFAULT_PYTHONS).toEqual(['/usr/bin/python3', 'python3']);
  });

  it('a missing Python is reported per candidate, not thrown', () => {
    const r = findTorchPython(['/nonexistent/python3', '/nonexistent/python']);
    expect(r.python).toBeUndefined();
    expect('tried' in r && r.tried).toEqual([
      expect.stringMatching(/^\/nonexistent\/python3: .*ENOENT/),
      expect.stringMatching(/^\/nonexistent\/python: .*ENOENT/),
    ]);
  });

  it('a Python whose run fails is a named error with its stderr', () => {
    // node refuses to run a .py file: exit code 1 and an error line on stderr.
    expect(() => runTorchBench(process.execPath, BENCH_NETWORK_DEFAULTS, { steps: 1, warmup: 0, seed: 0 })).toThrow(
      ConfigError,
    );
    expect(() => runTorchBench(process.execPath, BENCH_NETWORK_DEFAULTS, { steps: 1, warmup: 0, seed: 0 })).toThrow(
      /python failed: TypeError \[ERR_UNKNOWN_FILE_EXTENSION\]/,
    );
  });

  it('ratios are dlm ÷ torch; OpenBLAS and the same network give no warning', () => {
    const c = compareWithTorch(dlm, benchNetworkFlops(BENCH_NETWORK_DEFAULTS), torchResult());
    expect(c.ratio.forward).toBeCloseTo(0.25, 12);
    expect(c.ratio.train).toBeCloseTo(0.25, 12);
    expect(c.warnings).toEqual([]);
  });

  it('the reference BLAS, another network or another FLOP count are warned about', () => {
    const ref = { kind: 'reference', libraries: ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'] };
    const c = compareWithTorch(
      dlm,
      benchNetworkFlops(BENCH_NETWORK_DEFAULTS),
      torchResult({ blas: ref, params: 7, forwardFlops: 8 }),
    );
    expect(c.warnings).toHaveLength(3);
    expect(c.warnings[0]).toMatch(/reference \(netlib\) BLAS.*the ratio is meaningless/);
    expect(c.warnings[1]).toBe('the networks differ: torch has 7 parameters, dlm 5420033');
    expect(c.warnings[2]).toBe('the FLOP counts differ: torch 8, dlm 15087960064');
  });

  it('the table prints both figures and the ratios, or why there is no comparison', () => {
    const flops = benchNetworkFlops(BENCH_NETWORK_DEFAULTS);
    const r: KernelBenchResult = {
      tfjsBackend: 'wasm',
      network: { ...BENCH_NETWORK_DEFAULTS, params: 5_420_033 },
      matmul: [],
      forward: { tokensPerSec: 3000, msPerStep: 2048 / 3, steps: 5 },
      train: { tokensPerSec: 900, msPerStep: 2048 / 0.9, steps: 5, firstLoss: 6.93, lastLoss: 6.9 },
      flops: { ...flops, forwardGflops: 22.1, trainGflops: 19.9 },
      memory: { peakRssBytes: 1500 * 2 ** 20 },
    };
    const t = formatKernelBench(r, { torch: compareWithTorch(r, flops, torchResult()) });
    expect(t).toMatch(/DiT forward +3,000 +12,000 +2 +0\.25×/);
    expect(t).toMatch(/DiT train step +900 +3,600 +2 +0\.25×/);
    expect(t).toContain('BLAS openblas (/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so)');
    expect(t).toContain('peak RSS: dlm 1,500 MiB, torch 600 MiB');
    expect(t).not.toContain('WARNING');
    const none = formatKernelBench(r, { torch: { unavailable: `no Python with torch; ${TORCH_INSTALL_HINT}` } });
    expect(none).toContain('DiT forward');
    expect(none).toContain('PyTorch comparison: no Python with torch; install PyTorch and OpenBLAS');
    expect(none).toContain('apt-get install python3-torch libopenblas0-pthread');
  });
});
