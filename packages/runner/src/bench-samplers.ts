// `dlm bench samplers <run>`: every sampler of the run's family at the same step count, from
// the same seed: network calls (NFE), wall-clock and tokens/s. ddpm_cache's saving shows here
// (it skips the network while no token changed), never in a timed test. A family that declares
// bench variants (AR: with and without the key/value cache) gets one row per sampler and variant. A family whose
// generation takes Fast-dLLM's knobs (LLaDA) adds its generation rows (bench-llada-generation.ts).
import { ConfigError } from '@dlm/core';
import { benchLladaGeneration, hasLladaGenerationBench } from './bench-llada-generation.ts';
import { openSession, resolvedYamlOf } from './session.ts';
import { loadRunWeights } from './weights.ts';

export interface SamplerBenchRow {
  sampler: string;
  /** The family setting of this row (`benchVariants` label), or '' for the run's own. */
  variant: string;
  steps: number;
  /** False when the family's samplers ignore steps (AR: one call per token); the table shows "—". */
  stepsApply: boolean;
  num: number;
  length: number;
  nfe: number;
  seconds: number;
  tokensPerSec: number;
  /** LLaDA generation rows: tokens/s over the plain row's, and the fraction of tokens equal to its. */
  speedup?: number;
  agreement?: number;
  /** LLaDA generation rows: CPU seconds of the process, and the plain row's CPU seconds over this row's. */
  cpuSeconds?: number;
  cpuSpeedup?: number;
}

export async function benchSamplers(o: {
  runDir: string;
  steps: number;
  num: number;
  length?: number;
  samplers?: readonly string[];
  /** Block length of the LLaDA generation rows (default 32, or the length when shorter). */
  blockLength?: number;
  /** τ of the LLaDA threshold rows (default 0.9). */
  threshold?: number;
  log?: (l: string) => void;
}): Promise<SamplerBenchRow[]> {
  const file = resolvedYamlOf(o.runDir);
  const base = await openSession({ file, ...(o.log ? { log: o.log } : {}) });
  // The family's sampler registry lists (and checks) the names before any model is built.
  const known = base.family.samplers;
  const names = o.samplers ?? known.names();
  for (const n of names) {
    if (!known.has(n))
      throw new ConfigError({
        op: `${base.family.name} bench samplers`,
        arg: '--sampler',
        expected: `one of ${known.names().join(', ')}`,
        got: JSON.stringify(n),
      });
  }
  const declared = base.family.benchVariants?.(base.config.model) ?? [];
  const variants = declared.length ? declared : [{ label: '', family: {} }];
  const rows: SamplerBenchRow[] = [];
  for (const v of variants) {
    const sets = Object.entries(v.family).map(([k, x]) => `family.${k}=${String(x)}`);
    const s = sets.length ? await openSession({ file, sets, log: () => {} }) : base;
    const model = s.build();
    try {
      loadRunWeights(model, o.runDir, { ema: true });
      const length = o.length ?? s.length;
      // Warm-up: the first network calls compile and cache wasm kernels for these shapes.
      model.sample({ num: o.num, length, steps: 2, sampler: names[0]!, rng: s.rng.split('bench-warmup') });
      for (const sampler of names) {
        const t0 = performance.now();
        const rng = s.rng.split('bench').split(sampler);
        const r = model.sample({ num: o.num, length, steps: o.steps, sampler, rng });
        const seconds = (performance.now() - t0) / 1000;
        const tokensPerSec = (o.num * length) / seconds;
        const stepsApply = base.family.samplingSteps !== 'one-per-token';
        rows.push({
          sampler,
          variant: v.label,
          steps: o.steps,
          stepsApply,
          num: o.num,
          length,
          nfe: r.nfe,
          seconds,
          tokensPerSec,
        });
      }
      if (v === variants[0] && hasLladaGenerationBench(s, model)) {
        const blockLength = o.blockLength ?? Math.min(32, length);
        const g = { num: o.num, genLength: length, blockLength, steps: o.steps, threshold: o.threshold };
        rows.push(...benchLladaGeneration(model, s, g));
      }
    } finally {
      model.dispose();
    }
  }
  return rows;
}

export function formatSamplerBench(rows: readonly SamplerBenchRow[]): string {
  const withVariant = rows.some((r) => r.variant !== '');
  const withSpeedup = rows.some((r) => r.speedup !== undefined);
  const name = (r: Pick<SamplerBenchRow, 'sampler' | 'variant'>) =>
    withVariant && r.variant !== '' ? `${r.sampler} (${r.variant})` : r.sampler;
  const w = Math.max(12, ...rows.map((r) => name(r).length));
  const extra = (r?: SamplerBenchRow) =>
    !withSpeedup
      ? ''
      : r === undefined
        ? ` ${'×plain'.padStart(7)} ${'cpu s'.padStart(8)} ${'×cpu'.padStart(6)} ${'agree'.padStart(6)}`
        : r.speedup === undefined
          ? ` ${''.padStart(7)} ${''.padStart(8)} ${''.padStart(6)} ${''.padStart(6)}`
          : ` ${r.speedup.toFixed(2).padStart(7)} ${r.cpuSeconds!.toFixed(2).padStart(8)} ${r.cpuSpeedup!.toFixed(2).padStart(6)} ${r.agreement!.toFixed(3).padStart(6)}`;
  const head = `${'sampler'.padEnd(w)} ${'steps'.padStart(6)} ${'NFE'.padStart(6)} ${'seconds'.padStart(9)} ${'tokens/s'.padStart(9)}${extra()}`;
  return [
    head,
    ...rows.map(
      (r) =>
        `${name(r).padEnd(w)} ${(r.stepsApply ? String(r.steps) : '—').padStart(6)} ${String(r.nfe).padStart(6)} ${r.seconds.toFixed(2).padStart(9)} ${r.tokensPerSec.toFixed(1).padStart(9)}${extra(r)}`,
    ),
  ].join('\n');
}
