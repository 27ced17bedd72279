// The LLaDA generation settings `dlm bench samplers` compares (issue 13): LLaDA's own low-confidence remasking
// (no Fast-dLLM knob), then Fast-dLLM's prefix and dual caches, with and without the confidence threshold of the
// Fast-dLLM paper's default (0.9). One line per variant; the bench reads this list, nothing else names them.

export interface LladaBenchVariant {
  /** Row label. */
  readonly label: string;
  readonly cache?: string;
  readonly threshold?: number;
}

export const LLADA_BENCH_VARIANTS: readonly LladaBenchVariant[] = [
  { label: 'plain' },
  { label: 'prefix', cache: 'prefix' },
  { label: 'dual', cache: 'dual' },
  { label: 'prefix+τ0.9', cache: 'prefix', threshold: 0.9 },
  { label: 'dual+τ0.9', cache: 'dual', threshold: 0.9 },
];
