// What `dlm bench samplers` runs side by side within one family: the run's samplers (the family's sampler
// registry) × the family's bench variants, each a labelled setting of the family slot (AR: the key/value cache on
// and off; LLaDA: its decoding modes). A family keeps its list next to its sampler registry, so a new decoding
// mode is one line there.

export interface BenchVariant {
  /** Shown in the table's variant column. */
  label: string;
  /** Knobs of the family slot for this variant (`--set family.<k>=<v>` on the run's config); {} = the run's own. */
  family: Readonly<Record<string, string | number | boolean>>;
  /** Only these samplers of the family run with this variant (absent = every sampler). */
  samplers?: readonly string[] | undefined;
}
