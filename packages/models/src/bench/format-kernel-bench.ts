// Plain-text table of a kernel benchmark result (for `dlm bench kernels`).
import type { KernelBenchResult } from './kernel-bench.ts';

const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatKernelBench(r: KernelBenchResult): string {
  const n = r.network;
  const rows: [string, string, string][] = [];
  for (const m of r.matmul)
    rows.push([`matmul ${m.variant} ${m.size}³`, `${fmt(m.gflops)} GFLOP/s`, `${fmt(m.msPerIter)} ms/iter`]);
  rows.push(['DiT forward', `${fmt(r.forward.tokensPerSec, 0)} tokens/s`, `${fmt(r.forward.msPerStep)} ms/step`]);
  rows.push([
    'DiT train step (fwd+bwd+AdamW)',
    `${fmt(r.train.tokensPerSec, 0)} tokens/s`,
    `${fmt(r.train.msPerStep)} ms/step`,
  ]);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => `${row[0].padEnd(w[0]!)}  ${row[1].padStart(w[1]!)}  ${row[2].padStart(w[2]!)}`);
  const head =
    `tfjs backend ${r.tfjsBackend}; DiT V=${n.vocab}+1 D=${n.width} blocks=${n.blocks} heads=${n.heads} C=${n.condDim} ` +
    `L=${n.length} B=${n.batch}, ${fmt(n.params / 1e6, 2)}M params; ${r.train.steps} timed steps; ` +
    `native kernels ${r.native}`;
  return [head, ...lines].join('\n');
}
