import { describe, expect, it } from 'vitest';
import { resolveConfig } from '@dlm/config';
import { families } from '@dlm/models';
import { experimentSchema } from './experiment.ts';

const base = (family: string, extra = '') =>
  `family: {name: ${family}}\nmodel: {name: dit, length: 8}\ndata: {dataset: moby-dick}\n${extra}`;
const resolve = (text: string) => resolveConfig({ schema: experimentSchema, text }).config;

describe('experiment schema', () => {
  const defaults = [...families].map(([n, f]) => [n, f.defaultSampler] as const);
  it.each(defaults)('%s: sampling.predictor defaults to the family default (%s), written out', (name, sampler) => {
    expect(resolve(base(name)).sampling.predictor).toBe(sampler);
  });

  it('refuses a sampler of another family at validation, listing the family samplers', () => {
    expect(resolve(base('sedd', 'sampling: {predictor: analytic}')).sampling.predictor).toBe('analytic');
    const bad = () => resolve(base('mdlm', 'sampling: {predictor: euler}'));
    expect(bad).toThrow(/sampling\.predictor/);
    expect(bad).toThrow(new RegExp(`expected one of ${families.get('mdlm').samplers.names().join(', ')}`));
  });

  it('takes the model slot from the backbone registry; refuses a backbone the family does not accept', () => {
    expect(resolve('model: {name: dit}\ndata: {dataset: x}').model).toMatchObject({ name: 'dit', length: 1024 });
    const llada = () => resolve('family: {name: mdlm}\nmodel: {name: llada, d_model: 16}\ndata: {dataset: x}');
    expect(llada).toThrow(/model\.name/);
    expect(llada).toThrow(/family mdlm accepts model\.name one of dit/);
    expect(() => resolve('model: {name: dit, d_model: 16}\ndata: {dataset: x}')).toThrow(/d_model/);
  });
});
