// An attribute of decoded text for gradient-based control: a decidable rule text → label, with its own knobs.
// The classifier of a control-classifier experiment learns the rule on noisy embeddings; `dlm sample --control`
// judges success with the rule itself on the decoded samples (never with the classifier).
import type { z } from 'zod';

export interface AttributeDef<K = Record<string, unknown>> {
  /** The knobs of the `attribute: {name, ...}` slot (strict; defaults filled). */
  schema: z.ZodObject<z.ZodRawShape>;
  /** One line for help text and errors. */
  describe: string;
  /** The label names for these knobs; a label's index is its class id. */
  labels(knobs: K): string[];
  /** The class id of a decoded text. */
  label(text: string, knobs: K): number;
}
