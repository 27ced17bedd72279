// Schema composition. A component family (schedules, samplers, backbones …) keeps a Registry of
// {name → zod schema of its own parameters}; `componentSlot` turns it into one config slot:
// a union discriminated by `name`, e.g. `schedule: {name: loglinear, eps: 1e-3}`. An unknown
// name is an error listing the registered names; the rest of the mapping is checked against the
// chosen component's schema only.
import type { Registry } from '@dlm/core';
import { ConfigError } from '@dlm/core';
import { z } from 'zod';
import { slotKinds } from './schema-walk.ts';

// Any zod object schema (the parameters of one component).
export type ParamsSchema = z.ZodObject<z.ZodRawShape>;

export interface SlotOptions {
  /** Used when the slot is absent from the YAML: a component name, or a full mapping. */
  default?: string | Record<string, unknown>;
}

/** `{name: <registered name>, ...that component's params}`; `kind` names the slot in errors. */
export function componentSlot(
  kind: string,
  registry: Registry<ParamsSchema>,
  options: SlotOptions = {},
): z.ZodType<{ name: string } & Record<string, unknown>> {
  const variants = registry.names().map((name) => {
    const params = registry.get(name);
    if (Object.hasOwn(params.shape, 'name')) {
      throw new ConfigError({
        op: 'componentSlot',
        arg: `${kind} "${name}"`,
        expected: 'a params schema without its own "name" key (the slot adds it)',
      });
    }
    return params.extend({ name: z.literal(name) });
  });
  if (variants.length === 0)
    throw new ConfigError({ op: 'componentSlot', arg: kind, expected: 'a registry with at least one component' });
  const union = z.discriminatedUnion('name', variants as unknown as [ParamsSchema, ...ParamsSchema[]]);
  slotKinds.set(union, kind);
  if (options.default === undefined) return union as unknown as z.ZodType<{ name: string } & Record<string, unknown>>;
  const d = typeof options.default === 'string' ? { name: options.default } : options.default;
  if (!registry.has(String(d.name))) registry.get(String(d.name)); // throws listing valid names
  // prefault: the default goes through the chosen component's schema, so its defaults fill in.
  return union.prefault(d as never) as unknown as z.ZodType<{ name: string } & Record<string, unknown>>;
}

/** A strict config section whose own defaults fill in when the section is absent. */
export function section<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape).prefault({} as never);
}
