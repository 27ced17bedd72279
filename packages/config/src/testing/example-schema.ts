// A small example experiment schema used by the config tests (model / data / training /
// sampling sections and two component slots). It is NOT the runner's schema; it shows how
// components plug in: each registers its own params schema, the slot adds `name`.
import { Registry } from '@dlm/core';
import { z } from 'zod';
import { componentSlot, section, type ParamsSchema } from '../slot.ts';

export const scheduleParams = new Registry<ParamsSchema>('schedule', [
  ['loglinear', z.strictObject({ eps: z.number().positive().max(0.5).default(1e-3) })],
  ['cosine', z.strictObject({ eps: z.number().positive().default(1e-3), offset: z.number().default(0.008) })],
]);

export const samplerParams = new Registry<ParamsSchema>('sampler', [
  ['ddpm', z.strictObject({ steps: z.int().positive().default(128) })],
  ['ddpm_cache', z.strictObject({ steps: z.int().positive().default(128), noiseRemoval: z.boolean().default(true) })],
]);

export const exampleSchema = z.strictObject({
  seed: z.int().default(0),
  model: section({
    dim: z.int().positive().default(64),
    layers: z.int().positive().default(2),
    activation: z.enum(['gelu', 'relu']).default('gelu'),
  }),
  data: section({
    dataset: z.string().default('moby-dick'),
    length: z.int().min(3).default(128),
    packing: z.enum(['wrap', 'pad', 'chunk']).default('wrap'),
  }),
  training: section({
    steps: z.int().positive(),
    batchSize: z.int().positive().default(8),
    learningRate: z.number().positive().default(3e-4),
    betas: z.tuple([z.number(), z.number()]).default([0.9, 0.999]),
    evalEvery: z.array(z.int()).default([]),
  }),
  schedule: componentSlot('schedule', scheduleParams, { default: 'loglinear' }),
  sampling: section({
    sampler: componentSlot('sampler', samplerParams, { default: 'ddpm_cache' }),
    temperature: z.number().default(1),
  }),
  tags: z.record(z.string(), z.string()).default({}),
});
