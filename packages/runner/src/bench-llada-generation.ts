// The LLaDA generation rows of `dlm bench samplers` (issue 13): LLaDA's low-confidence remasking against
// Fast-dLLM's prefix and dual caches with and without a confidence threshold (@dlm/samplers
// llada.LLADA_BENCH_VARIANTS), all at the same gen length, block length and steps, from the same prompts (random
// ids, one row each), greedy. Each row gives NFE, tokens/s, the speed-up over the first (plain) row in wall-clock
// and in this process's CPU time (steadier than wall-clock on a shared machine), and the agreement: the fraction of
// generated tokens equal to the plain row's.
import { ConfigError, brief, type Nd } from '@dlm/core';
import { backboneMaxLength, type FamilyModel } from '@dlm/models';
import { llada } from '@dlm/samplers';
import type { SamplerBenchRow } from './bench-samplers.ts';
import type { Session } from './session.ts';

const OP = 'bench samplers (llada generation)';
/** Prompt ids per row (fewer when the backbone's length leaves less room). */
const PROMPT_LENGTH = 8;

export interface LladaGenerationBench {
  num: number;
  genLength: number;
  blockLength: number;
  /** Requested steps; clipped to genLength and rounded down to a multiple of the number of blocks. */
  steps: number;
  /** τ of the threshold variants (default llada.LLADA_BENCH_THRESHOLD). */
  threshold?: number | undefined;
}

/** The default block length: 32 when it divides the length, else the whole length (one block). */
export function defaultBenchBlockLength(genLength: number): number {
  return genLength % 32 === 0 ? 32 : genLength;
}

/** Whether the family's generation takes Fast-dLLM's knobs (so the LLaDA rows apply). */
export function hasLladaGenerationBench(s: Session, model: FamilyModel): boolean {
  return model.generate !== undefined && (s.family.generation?.flags.includes('cache') ?? false);
}

/** The rows without `run` / `family`, which the caller fills in. */
export type LladaGenerationRow = Omit<SamplerBenchRow, 'run' | 'family'>;

export function benchLladaGeneration(model: FamilyModel, s: Session, o: LladaGenerationBench): LladaGenerationRow[] {
  const { genLength, blockLength, num } = o;
  // The prompt fits beside the generation within the backbone's length (an empty prompt when nothing is left).
  const promptLength = Math.max(0, Math.min(PROMPT_LENGTH, backboneMaxLength(s.config.model) - genLength));
  if (!(Number.isInteger(blockLength) && blockLength > 0 && genLength % blockLength === 0)) {
    const expected = `a divisor of the length ${genLength}`;
    throw new ConfigError({ op: OP, arg: '--block-length', expected, got: brief(blockLength) });
  }
  const blocks = genLength / blockLength;
  const steps = Math.max(blocks, Math.floor(Math.min(o.steps, genLength) / blocks) * blocks);
  const rng = s.rng.split('bench-llada-generation');
  const V = s.vocab.size;
  const specials = new Set([s.vocab.maskId, s.vocab.bosId, s.vocab.eosId, s.vocab.padId]);
  const ids = new Int32Array(num * promptLength);
  for (let i = 0; i < ids.length; i++) {
    let t: number;
    do t = rng.int(0, V - 1);
    while (specials.has(t));
    ids[i] = t;
  }
  const prompt: Nd<Int32Array> = { data: ids, shape: [num, promptLength] };
  const tau = o.threshold ?? llada.LLADA_BENCH_THRESHOLD;
  if (!(Number.isFinite(tau) && tau > 0 && tau <= 1)) {
    throw new ConfigError({ op: OP, arg: '--threshold', expected: 'a number in (0, 1]', got: brief(tau) });
  }
  const run = (v: llada.LladaBenchVariant, stepCount: number) =>
    model.generate!({
      prompt,
      genLength,
      steps: stepCount,
      blockLength,
      temperature: 0,
      remasking: 'low_confidence',
      cfgScale: 0,
      rng: rng.split(llada.lladaBenchLabel(v)),
      ...(v.cache !== undefined ? { cache: v.cache } : {}),
      ...(v.threshold ? { threshold: tau } : {}),
    });
  const rows: LladaGenerationRow[] = [];
  let plain: { ids: Int32Array; tokensPerSec: number; cpuSeconds: number } | undefined;
  for (const v of llada.LLADA_BENCH_VARIANTS) {
    run(v, blocks); // warm-up: one step per block compiles the kernels of every call shape
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = run(v, steps);
    const seconds = (performance.now() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    const cpuSeconds = (c1.user + c1.system) / 1e6;
    const gen = generated(r.ids, genLength);
    const tokensPerSec = (num * genLength) / seconds;
    plain ??= { ids: gen, tokensPerSec, cpuSeconds };
    let same = 0;
    for (let i = 0; i < gen.length; i++) if (gen[i] === plain.ids[i]) same++;
    rows.push({
      sampler: `generate block ${blockLength}`,
      variant: llada.lladaBenchLabel(v, tau),
      steps,
      stepsApply: true,
      num,
      length: genLength,
      nfe: r.nfe,
      seconds,
      tokensPerSec,
      speedup: tokensPerSec / plain.tokensPerSec,
      cpuSeconds,
      cpuSpeedup: plain.cpuSeconds / cpuSeconds,
      agreement: same / gen.length,
    });
  }
  return rows;
}

/** [B, P + G] or [B, G] → the generated [B·G] ids. */
function generated(x: Nd<Int32Array>, g: number): Int32Array {
  const [b, l] = x.shape as [number, number];
  const out = new Int32Array(b * g);
  for (let r = 0; r < b; r++) out.set(x.data.subarray(r * l + l - g, (r + 1) * l), r * g);
  return out;
}
