// Every backbone, explicitly. A new backbone is one folder (schema.ts, backbone.ts) and one line here.
import { ConfigError, Registry, brief } from '@dlm/core';
import type { Backbone, BackboneBuildOptions, BackboneDef } from './backbone.ts';
import { causalDitBackbone } from './causal-dit/backbone.ts';
import { ditBackbone } from './dit/backbone.ts';
import { embeddingTransformerBackbone } from './embedding-transformer/backbone.ts';
import { gpt2Backbone } from './gpt2/backbone.ts';
import { lladaBackbone } from './llada/backbone.ts';

export const backbones = new Registry<BackboneDef>('backbone', [
  ['dit', ditBackbone],
  ['llada', lladaBackbone],
  ['causal-dit', causalDitBackbone],
  ['gpt2', gpt2Backbone],
  ['embedding-transformer', embeddingTransformerBackbone],
]);

/** A `model` slot: the backbone's name and its knobs. */
export type BackboneSlot = { readonly name?: unknown } & Readonly<Record<string, unknown>>;

function split(slot: BackboneSlot): { name: string; knobs: Record<string, unknown> } {
  const { name, ...knobs } = slot;
  if (typeof name !== 'string') {
    const expected = `one of ${backbones.names().join(', ')}`;
    throw new ConfigError({ op: 'backbone', arg: 'model.name', expected, got: brief(name) });
  }
  return { name, knobs };
}

/** The family accepts this backbone, or a ConfigError naming the ones it accepts. */
export function checkBackboneAccepted(family: string, accepted: readonly string[], name: string): void {
  if (!accepted.includes(name)) {
    const expected = `one of ${accepted.join(', ')} (the backbones ${family} accepts)`;
    throw new ConfigError({ op: `${family} family`, arg: 'model.name', expected, got: JSON.stringify(name) });
  }
}

/** The longest sequence of a `model` slot (its backbone's declared maximum). */
export function backboneMaxLength(slot: BackboneSlot): number {
  const { name, knobs } = split(slot);
  return backbones.get(name).maxLength(knobs);
}

/** Builds the backbone a `model` slot names, if `family` accepts it. */
export function buildBackbone(
  slot: BackboneSlot,
  o: BackboneBuildOptions & { family: string; accepted: readonly string[] },
): Backbone {
  const { name, knobs } = split(slot);
  checkBackboneAccepted(o.family, o.accepted, name);
  return backbones.get(name).build(knobs, { vocabSize: o.vocabSize, timeConditioning: o.timeConditioning, rng: o.rng });
}
