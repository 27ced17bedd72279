import { ConfigError, Registry, UnknownComponentError } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { componentSlot, type ParamsSchema } from './slot.ts';

describe('componentSlot', () => {
  const reg = new Registry<ParamsSchema>('noise', [
    ['loglinear', z.strictObject({ eps: z.number().default(1e-3) })],
    ['geometric', z.strictObject({ sigmaMin: z.number().default(1e-4), sigmaMax: z.number().default(20) })],
  ]);
  it('parses {name, ...params} with the chosen component’s defaults', () => {
    const slot = componentSlot('noise', reg);
    expect(slot.parse({ name: 'geometric', sigmaMax: 10 })).toEqual({
      name: 'geometric',
      sigmaMin: 1e-4,
      sigmaMax: 10,
    });
    expect(slot.safeParse({ name: 'cosine' }).success).toBe(false);
  });
  it('fills the default component (through its schema) when the slot is absent', () => {
    const slot = componentSlot('noise', reg, { default: 'loglinear' });
    expect(z.object({ noise: slot }).parse({})).toEqual({ noise: { name: 'loglinear', eps: 1e-3 } });
  });
  it('refuses a default that is not registered and params that define their own name', () => {
    expect(() => componentSlot('noise', reg, { default: 'cosine' })).toThrow(UnknownComponentError);
    const bad = new Registry<ParamsSchema>('noise', [['x', z.strictObject({ name: z.string() })]]);
    expect(() => componentSlot('noise', bad)).toThrow(ConfigError);
  });
});
