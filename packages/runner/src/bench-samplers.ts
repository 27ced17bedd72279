// `dlm bench samplers <run>...`: for each run (any families), every sampler of its family × the family's bench
// variants (FamilyDef.benchVariants: AR with and without the key/value cache, LLaDA's decoding modes) at the same
// step count, from the same seed: network calls (NFE), wall clock and tokens/s, in one table. ddpm_cache's saving
// shows here (it skips the network while no token changed), never in a timed test. A run whose family's generation
// takes Fast-dLLM's knobs (LLaDA) adds its generation rows (bench-llada-generation.ts): plain vs prefix / dual cache,
// ± threshold, with speed-ups and agreement.
import { basename } from 'node:path';
import { ConfigError } from '@dlm/core';
import type { BenchVariant } from '@dlm/samplers';
import { benchLladaGeneration, defaultBenchBlockLength, hasLladaGenerationBench } from './bench-llada-generation.ts';
import { openSession, resolvedYamlOf, type Session } from './session.ts';
import { loadRunWeights } from './weights.ts';

export interface SamplerBenchRow {
  /** The run directory as given. */
  run: string;
  family: string;
  sampler: string;
  /** The family setting of this row (its bench variant's label), or '' for the run's own. */
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

export interface SamplerBenchOptions {
  runDirs: readonly string[];
  steps: number;
  num: number;
  /** Sample length (default each run's data block length). */
  length?: number;
  /** Only these samplers (each run gets those its family has; a name no run's family has is an error). */
  samplers?: readonly string[];
  /** Block length of the LLaDA generation rows (default 32 when it divides the length, else the length). */
  blockLength?: number;
  /** τ of the LLaDA threshold rows (default 0.9). */
  threshold?: number;
  log?: (l: string) => void;
}

/** The (sampler, variant) pairs of one run, in variant order then registry order. */
function plan(s: Session, only: readonly string[] | undefined): { variant: BenchVariant; samplers: string[] }[] {
  const names = s.family.samplers.names().filter((n) => !only || only.includes(n));
  const declared = s.family.benchVariants?.(s.config.model) ?? [];
  const variants: readonly BenchVariant[] = declared.length ? declared : [{ label: '', family: {} }];
  return variants
    .map((variant) => ({ variant, samplers: names.filter((n) => !variant.samplers || variant.samplers.includes(n)) }))
    .filter((p) => p.samplers.length > 0);
}

async function benchRun(runDir: string, base: Session, o: SamplerBenchOptions, rows: SamplerBenchRow[]): Promise<void> {
  const file = resolvedYamlOf(runDir);
  for (const { variant, samplers } of plan(base, o.samplers)) {
    const sets = Object.entries(variant.family).map(([k, x]) => `family.${k}=${String(x)}`);
    const s = sets.length ? await openSession({ file, sets, log: () => {} }) : base;
    const model = s.build();
    try {
      loadRunWeights(model, runDir, { ema: true });
      const length = o.length ?? s.length;
      // Warm-up: the first network calls compile and cache wasm kernels for these shapes.
      model.sample({ num: o.num, length, steps: 2, sampler: samplers[0]!, rng: s.rng.split('bench-warmup') });
      for (const sampler of samplers) {
        const t0 = performance.now();
        const rng = s.rng.split('bench').split(sampler);
        const r = model.sample({ num: o.num, length, steps: o.steps, sampler, rng });
        const seconds = (performance.now() - t0) / 1000;
        rows.push({
          run: runDir,
          family: base.family.name,
          sampler,
          variant: variant.label,
          steps: o.steps,
          stepsApply: base.family.samplingSteps !== 'one-per-token',
          num: o.num,
          length,
          nfe: r.nfe,
          seconds,
          tokensPerSec: (o.num * length) / seconds,
        });
      }
      if (s === base && samplers.includes('low_confidence') && hasLladaGenerationBench(s, model)) {
        const blockLength = o.blockLength ?? defaultBenchBlockLength(length);
        const g = { num: o.num, genLength: length, blockLength, steps: o.steps, threshold: o.threshold };
        for (const r of benchLladaGeneration(model, s, g)) rows.push({ ...r, run: runDir, family: base.family.name });
      }
    } finally {
      model.dispose();
    }
  }
}

export async function benchSamplers(o: SamplerBenchOptions): Promise<SamplerBenchRow[]> {
  if (o.runDirs.length === 0)
    throw new ConfigError({ op: 'bench samplers', arg: 'run', expected: 'at least one run directory', got: 'none' });
  // Every run's config and sampler names are checked before any model is built.
  const sessions: Session[] = [];
  for (const runDir of o.runDirs)
    sessions.push(await openSession({ file: resolvedYamlOf(runDir), ...(o.log ? { log: o.log } : {}) }));
  if (o.samplers) {
    const known = [...new Set(sessions.flatMap((s) => s.family.samplers.names()))];
    for (const n of o.samplers) {
      if (!known.includes(n))
        throw new ConfigError({
          op: 'bench samplers',
          arg: '--sampler',
          expected: `a sampler of the runs' families: one of ${known.join(', ')}`,
          got: JSON.stringify(n),
        });
    }
  }
  const rows: SamplerBenchRow[] = [];
  for (let i = 0; i < o.runDirs.length; i++) await benchRun(o.runDirs[i]!, sessions[i]!, o, rows);
  return rows;
}

export function formatSamplerBench(rows: readonly SamplerBenchRow[]): string {
  const withSpeedup = rows.some((r) => r.speedup !== undefined);
  const cells = rows.map((r) => [
    basename(r.run.replace(/\/+$/, '')) || r.run,
    r.family,
    r.sampler,
    r.variant || '—',
    r.stepsApply ? String(r.steps) : '—',
    String(r.nfe),
    String(r.length),
    r.tokensPerSec.toFixed(1),
    r.seconds.toFixed(2),
    ...(!withSpeedup
      ? []
      : r.speedup === undefined
        ? ['', '', '', '']
        : [r.speedup.toFixed(2), r.cpuSeconds!.toFixed(2), r.cpuSpeedup!.toFixed(2), r.agreement!.toFixed(3)]),
  ]);
  const head = ['run', 'family', 'sampler', 'variant', 'steps', 'NFE', 'length', 'tokens/s', 'seconds'];
  if (withSpeedup) head.push('×plain', 'cpu s', '×cpu', 'agree');
  const all = [head, ...cells];
  const w = head.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  // Text columns left-aligned, numbers right-aligned.
  return all.map((row) => row.map((c, i) => (i < 4 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}
