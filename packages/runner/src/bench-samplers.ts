// `dlm bench samplers <run>`: every sampler of the run's family at the same step count, from
// the same seed: network calls (NFE), wall-clock and tokens/s. ddpm_cache's saving shows here
// (it skips the network while no token changed), never in a timed test.
import { ConfigError } from '@dlm/core';
import { openSession, resolvedYamlOf } from './session.ts';
import { loadRunWeights } from './weights.ts';

export interface SamplerBenchRow {
  sampler: string;
  steps: number;
  num: number;
  length: number;
  nfe: number;
  seconds: number;
  tokensPerSec: number;
}

export async function benchSamplers(o: {
  runDir: string;
  steps: number;
  num: number;
  length?: number;
  samplers?: readonly string[];
  log?: (l: string) => void;
}): Promise<SamplerBenchRow[]> {
  const s = await openSession({ file: resolvedYamlOf(o.runDir), ...(o.log ? { log: o.log } : {}) });
  // The family's sampler registry lists (and checks) the names before any model is built.
  const known = s.family.samplers;
  const names = o.samplers ?? known.names();
  for (const n of names) {
    if (!known.has(n))
      throw new ConfigError({
        op: `${s.family.name} bench samplers`,
        arg: '--sampler',
        expected: `one of ${known.names().join(', ')}`,
        got: JSON.stringify(n),
      });
  }
  const model = s.build();
  try {
    loadRunWeights(model, o.runDir, { ema: true });
    const length = o.length ?? s.length;
    const rows: SamplerBenchRow[] = [];
    // Warm-up: the first network calls compile and cache wasm kernels for these shapes.
    model.sample({ num: o.num, length, steps: 2, sampler: names[0]!, rng: s.rng.split('bench-warmup') });
    for (const sampler of names) {
      const t0 = performance.now();
      const r = model.sample({ num: o.num, length, steps: o.steps, sampler, rng: s.rng.split('bench').split(sampler) });
      const seconds = (performance.now() - t0) / 1000;
      rows.push({
        sampler,
        steps: o.steps,
        num: o.num,
        length,
        nfe: r.nfe,
        seconds,
        tokensPerSec: (o.num * length) / seconds,
      });
    }
    return rows;
  } finally {
    model.dispose();
  }
}

export function formatSamplerBench(rows: readonly SamplerBenchRow[]): string {
  const head = `${'sampler'.padEnd(12)} ${'steps'.padStart(6)} ${'NFE'.padStart(6)} ${'seconds'.padStart(9)} ${'tokens/s'.padStart(9)}`;
  return [
    head,
    ...rows.map(
      (r) =>
        `${r.sampler.padEnd(12)} ${String(r.steps).padStart(6)} ${String(r.nfe).padStart(6)} ${r.seconds.toFixed(2).padStart(9)} ${r.tokensPerSec.toFixed(1).padStart(9)}`,
    ),
  ].join('\n');
}
