// A control-classifier experiment (`kind: control-classifier` at the top of the YAML): an attribute classifier
// for gradient-based control, trained by `dlm train` on the noisy word embeddings of a trained diffusion run. It
// is its own kind of experiment, not a family: it has no `family`, `noise`, `data` or `sampling` section. The
// diffusion run gives the data and tokenizer (its resolved.yaml), the frozen word embedding (its latest
// checkpoint, EMA weights when kept) and the forward process:
//   t ~ U{0, …, T−1},  x_t = q_sample(E[w], t),  loss = CE(classifier(x_t, t·1000/T), rule(decode(w)))
// The training sections (loader, optim, lr_scheduler, trainer) are the family experiment's (experiment.ts),
// without trainer.init_from.
import { Registry } from '@dlm/core';
import { componentSlot, section } from '@dlm/config';
import { attributeClassifierModelSchema } from '@dlm/models';
import { z } from 'zod';
import { loaderSection, lrSchedulerSection, optimSection, trainerKnobs } from '../experiment.ts';
import { attributes } from './attributes/registry.ts';

export const CONTROL_CLASSIFIER_KIND = 'control-classifier';

type Schema = z.ZodObject<z.ZodRawShape>;
const attributeSchemas = new Registry<Schema>(
  'control attribute',
  [...attributes].map(([n, a]) => [n, a.schema] as const),
);

/** `diffusion_run` is relative to the working directory (as runs_dir and trainer.init_from). */
export const CLASSIFIER_PATHS = { diffusion_run: 'cwd' } as const;

export const classifierExperimentSchema = z.strictObject({
  kind: z.literal(CONTROL_CLASSIFIER_KIND),
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('control-classifier'),
  seed: z.number().int().default(1),
  runs_dir: z.string().default('runs'),
  /** A trained diffusion-lm run directory (`dlm train experiments/diffusion-lm/...`). */
  diffusion_run: z.string().min(1),
  /** The attribute to learn: `{name: keyword, word: he, ...}` (attributes/registry.ts lists them). */
  attribute: componentSlot('control attribute', attributeSchemas),
  model: attributeClassifierModelSchema.prefault({}),
  loader: loaderSection,
  optim: optimSection,
  lr_scheduler: lrSchedulerSection,
  trainer: section(trainerKnobs),
  eval: section({
    /** Validation batches (the first N of the diffusion run's validation split, fixed). */
    batches: z.number().int().min(1).default(8),
    /** Fractions of T at which held-out accuracy is reported: t = round(f·(T − 1)). */
    noise_levels: z.array(z.number().min(0).max(1)).min(1).default([0, 0.25, 0.5, 0.75]),
  }),
});

export type ClassifierExperiment = z.output<typeof classifierExperimentSchema>;
