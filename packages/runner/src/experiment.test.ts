import { describe, expect, it } from 'vitest';
import { resolveConfig } from '@dlm/config';
import { backboneMaxLength, families } from '@dlm/models';
import { experimentSchema } from './experiment.ts';

const base = (family: string, extra = '') =>
  `family: {name: ${family}}\nmodel: {name: dit, length: 8}\ndata: {dataset: moby-dick}\n${extra}`;
const resolve = (text: string) => resolveConfig({ schema: experimentSchema, text }).config;

describe('experiment schema', () => {
  const defaults = [...families].map(([n, f]) => [n, f.defaultSampler, f.backbones[0]!] as const);
  it.each(defaults)('%s: sampling.predictor defaults to the family default (%s), written out', (name, sampler, bb) => {
    // Families that train on pairs only (DiffuSeq) need data.pairs.
    const pairs = families.get(name).pairedData?.({}) ? ', pairs: {path: p.jsonl}' : '';
    const text = `family: {name: ${name}}\nmodel: {name: ${bb}}\ndata: {dataset: moby-dick${pairs}}\n`;
    expect(resolve(text).sampling.predictor).toBe(sampler);
  });

  it('refuses a sampler of another family at validation, listing the family samplers', () => {
    expect(resolve(base('sedd', 'sampling: {predictor: analytic}')).sampling.predictor).toBe('analytic');
    const bad = () => resolve(base('mdlm', 'sampling: {predictor: euler}'));
    expect(bad).toThrow(/sampling\.predictor/);
    expect(bad).toThrow(new RegExp(`expected one of ${families.get('mdlm').samplers.names().join(', ')}`));
  });

  it('takes the model slot from the backbone registry; refuses a backbone the family does not accept', () => {
    // DiT knobs are optional in the slot (an init_from folder gives them); absent ones are MDLM small's at build time.
    const dit = resolve('model: {name: dit}\ndata: {dataset: x}').model;
    expect(dit).toEqual({ name: 'dit' });
    expect(backboneMaxLength(dit)).toBe(1024);
    const llada = () => resolve('family: {name: mdlm}\nmodel: {name: llada, d_model: 16}\ndata: {dataset: x}');
    expect(llada).toThrow(/model\.name/);
    expect(llada).toThrow(/family mdlm accepts model\.name one of dit/);
    expect(() => resolve('model: {name: dit, d_model: 16}\ndata: {dataset: x}')).toThrow(/d_model/);
  });

  it('data.pairs goes with family llada objective sft (defaults filled), and only with it', () => {
    const llada = (objective: string, pairs = '') =>
      `family: {name: llada, objective: ${objective}}\nmodel: {name: llada, d_model: 16}\ndata: {dataset: moby-dick${pairs}}`;
    const c = resolve(llada('sft', ', pairs: {path: /tmp/p.jsonl}'));
    expect(c.data.pairs).toEqual({
      format: 'jsonl',
      path: '/tmp/p.jsonl',
      source_field: 'prompt',
      target_field: 'response',
      overflow: 'error',
      validation_every: 20,
    });
    expect(c.sampling.predictor).toBe('low_confidence');
    expect(() => resolve(llada('sft'))).toThrow(/data\.pairs.*objective sft needs data\.pairs/s);
    expect(() => resolve(llada('pretrain', ', pairs: {path: p.jsonl}'))).toThrow(/family\.objective/);
    expect(() => resolve(llada('sft', ', pairs: {path: p.jsonl, answer_field: x}'))).toThrow(/answer_field/);
  });
});
