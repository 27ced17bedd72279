// The LLaDA generation settings `dlm bench samplers` compares (issue 13): LLaDA's own low-confidence remasking
// (no Fast-dLLM knob), then Fast-dLLM's prefix and dual caches, with and without a confidence threshold (the
// Fast-dLLM paper's default 0.9 unless the bench is given another). One line per variant; the bench reads this
// list, nothing else names them.

export interface LladaBenchVariant {
  /** A Fast-dLLM cache mode; absent = LLaDA's generate. */
  readonly cache?: string;
  /** Commit by the confidence threshold. */
  readonly threshold?: boolean;
}

export const LLADA_BENCH_THRESHOLD = 0.9;

export const LLADA_BENCH_VARIANTS: readonly LladaBenchVariant[] = [
  {},
  { cache: 'prefix' },
  { cache: 'dual' },
  { cache: 'prefix', threshold: true },
  { cache: 'dual', threshold: true },
];

/** `plain`, `prefix`, `dual+τ0.9`, … */
export function lladaBenchLabel(v: LladaBenchVariant, threshold = LLADA_BENCH_THRESHOLD): string {
  return `${v.cache ?? 'plain'}${v.threshold ? `+τ${threshold}` : ''}`;
}
