// The experiment schema: what a YAML under experiments/ may say. Sections follow the MDLM /
// SEDD Hydra groups (model, noise, optim, lr_scheduler, trainer, loader, sampling, eval) so a
// researcher coming from those repos finds the knobs where they expect them; component slots
// (`family`, `model`, `noise`) are chosen by `name` from explicit registries.
import { Registry, didYouMean } from '@dlm/core';
import { componentSlot, section } from '@dlm/config';
import { PAIR_FORMATS, PAIR_OVERFLOW } from '@dlm/data';
import { backbones, families, type BackboneDef, type FamilyDef } from '@dlm/models';
import { continuousScheduleParams } from '@dlm/schedules';
import { z } from 'zod';

// The `family` and `model` slots come from the registries of @dlm/models (no list kept here).
type Schema = z.ZodObject<z.ZodRawShape>;
const schemaOf = ([n, c]: [string, FamilyDef | BackboneDef]) => [n, c.schema] as const;
const familySchemas = new Registry<Schema>('family', [...families].map(schemaOf));
const backboneSchemas = new Registry<Schema>('backbone', [...backbones].map(schemaOf));

/** Keys holding paths, stored absolute in resolved.yaml so a run directory works from any cwd. */
export const EXPERIMENT_PATHS = {
  'data.files.*.path': 'file',
  'data.pairs.path': 'file',
  'data.prepared_dir': 'cwd',
  'data.raw_dir': 'cwd',
  'model.init_from': 'file',
  'trainer.init_from': 'cwd',
} as const;

// The training sections, shared with other kinds of experiment (control/classifier-experiment.ts).
export const loaderSection = section({
  batch_size: z.number().int().min(1).default(16),
  eval_batch_size: z.number().int().min(1).default(16),
});
export const optimSection = section({
  lr: z.number().gt(0).default(3e-4),
  weight_decay: z.number().min(0).default(0),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  eps: z.number().min(0).default(1e-8),
});
export const lrSchedulerSection = section({
  warmup_steps: z.number().int().min(0).default(2500),
  decay: z.enum(['constant', 'cosine', 'linear']).default('constant'),
  min_lr_ratio: z.number().min(0).max(1).default(0),
});
/** The `trainer` knobs of every training loop (a family experiment adds `init_from`). */
export const trainerKnobs = {
  max_steps: z.number().int().min(1).default(1000),
  accumulate_grad_batches: z.number().int().min(1).default(1),
  gradient_clip_val: z.number().min(0).default(1),
  /** EMA decay of the weights used for eval and sampling (0 = off). */
  ema: z.number().min(0).lt(1).default(0.9999),
  log_every_n_steps: z.number().int().min(1).default(10),
  val_check_interval: z.number().int().min(1).default(500),
  checkpoint_every: z.number().int().min(1).default(500),
  keep_checkpoints: z.number().int().min(1).default(2),
};

const fields = z.strictObject({
  /** Run name: the run directory is `<runs_dir>/<name>-<timestamp>` unless --run-dir is given. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('run'),
  seed: z.number().int().default(1),
  runs_dir: z.string().default('runs'),
  family: componentSlot('family', familySchemas, { default: 'mdlm' }),
  model: componentSlot('backbone', backboneSchemas, { default: 'dit' }),
  noise: componentSlot('continuous noise schedule', continuousScheduleParams, { default: 'loglinear' }),
  data: z.strictObject({
    /** A dataset registered in @dlm/data (datasets/ has a card for each). */
    dataset: z.string(),
    tokenizer: z
      .strictObject({ name: z.string(), options: z.record(z.string(), z.unknown()).default({}) })
      .prefault({ name: 'gpt2' }),
    /** MDLM `data.wrap: true` = 'wrap'; 'pad' = one document per row; 'chunk' = text8-style. */
    packing: z.enum(['wrap', 'pad', 'chunk']).default('wrap'),
    /** Block length of the packed data; default model.length, and never above it. */
    length: z.number().int().min(2).optional(),
    /**
     * Your own files instead of a registered corpus (then `dataset` is just its name): a reader per
     * split (`train`, `validation`, `test`) or one under `all` split by document index. A relative
     * path is relative to the YAML file that names it (`--set`: the working directory); the resolved
     * config holds it absolute. Formats and reader options: datasets/README.md.
     */
    files: z
      .partialRecord(
        z.enum(['all', 'train', 'validation', 'test']),
        z.strictObject({
          format: z.enum(['txt', 'jsonl', 'csv', 'arrow', 'parquet']),
          path: z.string(),
          options: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .optional(),
    /** Prepared shards for this experiment only (default: the cache root, see datasets/README.md). */
    prepared_dir: z.string().optional(),
    raw_dir: z.string().optional(),
    /**
     * Prompt/response pairs for supervised fine-tuning (`family: {name: llada, objective: sft}`): one row per
     * pair, [BOS] prompt response [EOS]… padded with EOS to the block length. `dataset` still gives the
     * tokenizer. Every `validation_every`-th pair (by file order) is held out as the validation split.
     */
    pairs: z
      .strictObject({
        format: z.enum(PAIR_FORMATS).default('jsonl'),
        path: z.string(),
        source_field: z.string().min(1).default('prompt'),
        target_field: z.string().min(1).default('response'),
        /** Applied to every prompt before tokenizing: a string with a `{prompt}` placeholder. */
        chat_template: z.string().optional(),
        /** A pair longer than the row: error (default), truncate the response, or drop the pair. */
        overflow: z.enum(PAIR_OVERFLOW).default('error'),
        validation_every: z.number().int().min(2).default(20),
      })
      .optional(),
  }),
  loader: loaderSection,
  optim: optimSection,
  lr_scheduler: lrSchedulerSection,
  trainer: section({
    ...trainerKnobs,
    /**
     * Warm start: a dlm run directory whose latest checkpoint's weights (EMA ones when it kept them) this run
     * starts from, with a fresh optimizer and step 0 (e.g. LLaDA SFT after pretraining). Same model slot and
     * tokenizer as that run; a relative path is relative to the working directory, like `runs_dir`.
     */
    init_from: z.string().min(1).optional(),
  }),
  eval: section({
    /** Validation batches used for the bound (first N of the validation split, fixed). */
    batches: z.number().int().min(1).default(8),
    /** Monte-Carlo time samples per sequence for `dlm eval` (LLaDA: its `mc_num`, draws of the bound per sequence). */
    time_samples: z.number().int().min(1).default(4),
  }),
  sampling: section({
    /** A sampler of the family (MDLM / SEDD `sampling.predictor`); absent = the family's default sampler. */
    predictor: z.string().optional(),
    steps: z.number().int().min(1).default(1000),
    num_samples: z.number().int().min(1).default(4),
    /** Sample length; default the data block length. Longer than model.length: semi-AR strides (MDLM). */
    length: z.number().int().min(1).optional(),
  }),
});

type Fields = z.output<typeof fields>;

/**
 * The checks that need two slots at once, done here so that every command fails at config
 * validation: the family accepts the backbone, and `sampling.predictor` is one of the family's
 * samplers (absent → the family's default, written out so resolved.yaml shows the actual name).
 */
function crossCheck(c: Fields, ctx: z.RefinementCtx<Fields>): Fields & { sampling: { predictor: string } } {
  const family = families.get(c.family.name);
  if (!family.backbones.includes(c.model.name)) {
    const message = `family ${family.name} accepts model.name one of ${family.backbones.join(', ')}`;
    ctx.addIssue({ code: 'custom', path: ['model', 'name'], input: c.model.name, message });
  }
  const { predictor: named, ...sampling } = c.sampling;
  const predictor = named ?? family.defaultSampler;
  if (!family.samplers.has(predictor)) {
    const guess = didYouMean(predictor, family.samplers.names());
    const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
    const message = `not a ${family.name} sampler${hint}: expected one of ${family.samplers.names().join(', ')}`;
    ctx.addIssue({ code: 'custom', path: ['sampling', 'predictor'], input: predictor, message });
  }
  // Families that train on pairs (LLaDA SFT, DiffuSeq) train on pairs only, and only they read data.pairs.
  const knobs = c.family as Record<string, unknown>;
  const paired = family.pairedData?.(knobs) ?? false;
  if (paired && !c.data.pairs) {
    const message = `family ${family.name}${knobs['objective'] ? ` objective ${String(knobs['objective'])}` : ''} needs data.pairs {path, ...} (source/target pairs)`;
    ctx.addIssue({ code: 'custom', path: ['data', 'pairs'], input: undefined, message });
  }
  if (c.data.pairs && !paired) {
    const users = [...families].filter(([, d]) => d.pairedData).map(([n]) => n);
    const message = `data.pairs is read by families that train on pairs (${users.join(', ')}; llada with objective sft)`;
    ctx.addIssue({ code: 'custom', path: ['family', 'objective'], input: knobs['objective'], message });
  }
  return { ...c, sampling: { predictor, ...sampling } };
}

export const experimentSchema = fields.transform(crossCheck);

export type Experiment = z.output<typeof experimentSchema>;
