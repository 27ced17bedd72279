// Knobs of the autoregressive family slot (`family: {name: ar, ...}`): the sampling knobs under the names of
// Hugging Face `generate` (temperature, top_k, top_p) and bd3lms' `sampling.kv_cache`. MDLM's AR baseline
// (kuleshov-group/mdlm@c112c526 `parameterization: ar`) has no knob of its own: its loss is plain next-token
// cross-entropy.
import { z } from 'zod';

export const arFamilySchema = z.strictObject({
  /** Softmax temperature of the `ancestral` sampler (0 = argmax; `greedy` ignores it). */
  temperature: z.number().min(0).default(1),
  /** Keep the k most probable tokens before sampling (absent = all). */
  top_k: z.number().int().min(1).optional(),
  /** Nucleus sampling: the smallest most-probable set of mass ≥ top_p (absent = 1). */
  top_p: z.number().gt(0).max(1).optional(),
  /** Decode with the backbone's key/value cache when it has one (gpt2); false = recompute the prefix. */
  kv_cache: z.boolean().default(true),
});

export type ArFamilyConfig = z.output<typeof arFamilySchema>;
