// The `noise` slot: a zod schema per continuous schedule of @dlm/schedules, with the reference
// knob names (MDLM/SEDD `noise.type` → `name` here, `eps`, `sigma_min`, `sigma_max`).
import { Registry } from '@dlm/core';
import { buildSchedule, type ContinuousSchedule } from '@dlm/schedules';
import { z } from 'zod';

const eps = z.strictObject({ eps: z.number().gt(0).lt(1).default(1e-3) });

export const noiseSchemas = new Registry<z.ZodObject<z.ZodRawShape>>('noise schedule', [
  ['loglinear', eps],
  ['geometric', z.strictObject({ sigma_min: z.number().gt(0).default(1e-4), sigma_max: z.number().gt(0).default(20) })],
  ['cosine', eps],
  ['cosinesqr', eps],
  ['linear', z.strictObject({ sigma_min: z.number().min(0).default(1e-3), sigma_max: z.number().gt(0).default(7) })],
]);

export function buildNoise(cfg: { readonly name: string } & Readonly<Record<string, unknown>>): ContinuousSchedule {
  const { name, ...params } = cfg;
  return buildSchedule(name, params as Record<string, number>);
}
