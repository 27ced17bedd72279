// Plain-text tables of a kernel benchmark result (for `dlm bench kernels`): the figures, peak memory, the
// optional per-kernel profile and the optional comparison with the PyTorch twin.
import type { KernelBenchResult, StepProfile } from './kernel-bench.ts';
import type { TorchComparison } from './torch-compare.ts';

const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 0)} MiB`;
const pct = (x: number) => `${fmt(100 * x)}%`;

/** Columns: the first left-aligned, the others right-aligned. */
function table(rows: string[][]): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(w[i]!) : cell.padStart(w[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export interface FormatKernelBenchOptions {
  /** Print the per-kernel profile table (when the result has one). */
  profile?: boolean;
  /** The PyTorch comparison, or why there is none. */
  torch?: TorchComparison | { unavailable: string };
}

export function formatKernelBench(r: KernelBenchResult, o: FormatKernelBenchOptions = {}): string {
  const n = r.network;
  const rows: string[][] = [];
  for (const m of r.matmul)
    rows.push([`matmul ${m.variant} ${m.size}³`, `${fmt(m.gflops)} GFLOP/s`, `${fmt(m.msPerIter)} ms/iter`]);
  rows.push([
    'DiT forward',
    `${fmt(r.forward.tokensPerSec, 0)} tokens/s`,
    `${fmt(r.forward.msPerStep)} ms/step`,
    `${fmt(r.flops.forwardGflops)} GFLOP/s`,
  ]);
  rows.push([
    'DiT train step (fwd+bwd+AdamW)',
    `${fmt(r.train.tokensPerSec, 0)} tokens/s`,
    `${fmt(r.train.msPerStep)} ms/step`,
    `${fmt(r.flops.trainGflops)} GFLOP/s`,
  ]);
  const head =
    `tfjs backend ${r.tfjsBackend}; DiT V=${n.vocab}+1 D=${n.width} blocks=${n.blocks} heads=${n.heads} C=${n.condDim} ` +
    `L=${n.length} B=${n.batch}, ${fmt(n.params / 1e6, 2)}M params; ${r.train.steps} timed steps; ` +
    `${fmt(r.flops.forward / 1e9, 2)} GFLOP forward, ${fmt(r.flops.train / 1e9, 2)} training (matmuls)`;
  const mem = r.memory;
  const memLine =
    `peak memory: RSS ${mb(mem.peakRssBytes)}` +
    (mem.wasmHeapBytes !== undefined ? `; wasm heap ${mb(mem.wasmHeapBytes)}` : '') +
    (mem.forwardPeakBytes !== undefined
      ? `; tf.memory numBytes ${mb(mem.forwardPeakBytes)} (forward), ${mb(mem.trainPeakBytes!)} (training step; ` +
        'shared buffers counted per tensor)'
      : '');
  const out = [head, ...table(rows), memLine];
  if (o.profile && r.profile) out.push('', ...formatProfile(r.profile.forward, r.profile.train));
  if (o.torch) out.push('', ...formatTorch(r, o.torch));
  return out.join('\n');
}

/** Each kernel's share of the profiled forward and training steps' wall time, largest training share first. */
export function formatProfile(fwd: StepProfile, train: StepProfile): string[] {
  const names = [...new Set([...train.kernels.map((k) => k.kernel), ...fwd.kernels.map((k) => k.kernel)])];
  const get = (p: StepProfile, name: string) => p.kernels.find((k) => k.kernel === name);
  const cell = (p: StepProfile, name: string) => {
    const k = get(p, name);
    return k ? [`${fmt(k.ms / p.steps)}`, pct(k.share), String(k.calls / p.steps)] : ['', '', ''];
  };
  const rows = [
    ['kernel', 'fwd ms', 'fwd %', 'calls', 'train ms', 'train %', 'calls'],
    ...names.map((name) => [name, ...cell(fwd, name), ...cell(train, name)]),
    [
      'outside kernels (JS, tape, reads)',
      fmt((fwd.wallMs - fwd.kernelMs) / fwd.steps),
      pct(1 - fwd.kernelMs / fwd.wallMs),
      '',
      fmt((train.wallMs - train.kernelMs) / train.steps),
      pct(1 - train.kernelMs / train.wallMs),
      '',
    ],
    ['wall time per step', fmt(fwd.wallMs / fwd.steps), '100.0%', '', fmt(train.wallMs / train.steps), '100.0%', ''],
  ];
  return [
    `per-kernel profile (tf.profile, ${fwd.steps} forward + ${train.steps} training steps after the timed ones; ` +
      'ms per step, share of the wall time; an op with a custom gradient, e.g. logSoftmax__op, is one row that ' +
      `includes its ${fwd.nestedKernels / fwd.steps} + ${train.nestedKernels / train.steps} inner kernel runs)`,
    ...table(rows),
  ];
}

function formatTorch(r: KernelBenchResult, t: TorchComparison | { unavailable: string }): string[] {
  if ('unavailable' in t) return [`PyTorch comparison: ${t.unavailable}`];
  const x = t.torch;
  // The library itself (libopenblasp-r0.3.21.so) rather than the libblas.so.3 alternative that loads it.
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const blasLib =
    x.blas.libraries.find((p) => /^lib(openblas|mkl)/i.test(base(p))) ?? x.blas.libraries[0] ?? 'none mapped';
  const thr = x.runs.map((run) => run.threads).join(' and ');
  const rows = [
    ['', 'dlm tokens/s', 'torch tokens/s', 'torch threads', 'dlm/torch'],
    [
      'DiT forward',
      fmt(r.forward.tokensPerSec, 0),
      fmt(x.forward.tokensPerSec, 0),
      String(x.forward.threads),
      `${fmt(t.ratio.forward, 2)}×`,
    ],
    [
      'DiT train step',
      fmt(r.train.tokensPerSec, 0),
      fmt(x.train.tokensPerSec, 0),
      String(x.train.threads),
      `${fmt(t.ratio.train, 2)}×`,
    ],
  ];
  return [
    `PyTorch ${x.torch} (${x.python}), BLAS ${x.blas.kind} (${blasLib}); best of ${thr} threads, ${x.steps} timed steps`,
    ...table(rows),
    `peak RSS: dlm ${mb(r.memory.peakRssBytes)}, torch ${mb(x.peakRssBytes)}; first/last loss: dlm ` +
      `${fmt(r.train.firstLoss, 3)}/${fmt(r.train.lastLoss, 3)}, torch ${fmt(x.firstLoss, 3)}/${fmt(x.lastLoss, 3)}`,
    ...t.warnings.map((w) => `WARNING: ${w}`),
  ];
}
