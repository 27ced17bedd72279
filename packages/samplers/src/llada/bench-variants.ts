// LLaDA's rows in `dlm bench samplers`: every remasking rule (the `remaskings` registry) under each of these
// settings of the family slot. A decoding mode (a cache, a parallel-decoding rule) is one more line here, with its
// family knobs, e.g. { label: 'dual cache, τ 0.9', family: { cache: 'dual', threshold: 0.9 }, samplers: [...] }.
import type { BenchVariant } from '../bench-variant.ts';

export const lladaBenchVariants: readonly BenchVariant[] = [
  // generate.py's own loop: every step runs the network on the whole sequence (no cache).
  { label: 'plain', family: {} },
];
