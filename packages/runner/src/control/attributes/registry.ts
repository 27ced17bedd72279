// The attributes a control classifier can learn, by `attribute.name`. A new attribute is one file and one line.
import { Registry } from '@dlm/core';
import type { AttributeDef } from './attribute.ts';
import { keywordAttribute } from './keyword.ts';
import { wordCountAttribute } from './word-count.ts';

export const attributes = new Registry<AttributeDef>('control attribute', [
  ['keyword', keywordAttribute as unknown as AttributeDef],
  ['word-count', wordCountAttribute as unknown as AttributeDef],
]);

/** The resolved `attribute` slot: its rule and labels, bound to its knobs. */
export interface BoundAttribute {
  name: string;
  labels: string[];
  label(text: string): number;
}

export function bindAttribute(slot: { readonly name: string } & Readonly<Record<string, unknown>>): BoundAttribute {
  const def = attributes.get(slot.name);
  const { name, ...rest } = slot;
  const knobs = def.schema.parse(rest) as Record<string, unknown>;
  return { name, labels: def.labels(knobs), label: (text) => def.label(text, knobs) };
}
