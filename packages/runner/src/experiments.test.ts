// Every YAML under experiments/ (found by walking the folder, not listed) validates against the
// schema of its kind (a family experiment, or `kind: control-classifier`) (GPU-sized ones are never run in CI, but a
// typo in them fails here). Sweep files (a top-level `sweep:` key) are planned: every point resolved and validated.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTree, resolveConfig } from '@dlm/config';
import { backbones, families } from '@dlm/models';
import { experimentSchema } from './experiment.ts';
import { attributes } from './control/attributes/registry.ts';
import { CONTROL_CLASSIFIER_KIND, classifierExperimentSchema } from './control/classifier-experiment.ts';
import { experimentKind } from './control/experiment-kind.ts';
import { isSweepTree, planSweep } from './sweep/sweep-file.ts';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../experiments');
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.yaml'));

describe('experiments/', () => {
  it('has the quickstart and the MDLM OWT config', () => {
    expect(files).toContain(join('quickstart', 'quickstart.yaml'));
    expect(files).toContain(join('mdlm', 'owt-small.yaml'));
  });
  const sweeps = files.filter((f) => isSweepTree(loadTree(join(root, f)).tree));
  const kinds = (kind: string) => files.filter((f) => !sweeps.includes(f) && experimentKind(join(root, f)) === kind);
  it('has the smoke sweep', () => {
    expect(sweeps).toContain(join('sweeps', 'smoke.yaml'));
  });
  it.each(sweeps)('%s (a sweep) plans: every point resolves and validates', (f) => {
    const plan = planSweep(join(root, f));
    expect(plan.points.length).toBeGreaterThan(0);
    expect(new Set(plan.points.map((p) => p.hash)).size).toBe(plan.points.length);
    for (const p of plan.points) expect(families.has(p.experiment.family.name)).toBe(true);
  });
  it.each(kinds('family'))('%s validates with every default filled in', (f) => {
    const { config } = resolveConfig({ schema: experimentSchema, file: join(root, f) });
    const family = families.get(config.family.name);
    expect(family.backbones).toContain(config.model.name);
    expect(backbones.has(config.model.name)).toBe(true);
    expect(family.samplers.has(config.sampling.predictor)).toBe(true);
    expect(config.trainer.max_steps).toBeGreaterThan(0);
  });
  it.each(kinds(CONTROL_CLASSIFIER_KIND))('%s (a control classifier) validates', (f) => {
    const { config } = resolveConfig({ schema: classifierExperimentSchema, file: join(root, f) });
    expect(attributes.has(config.attribute.name)).toBe(true);
    expect(config.trainer.max_steps).toBeGreaterThan(0);
  });
  it('owt-small carries the paper knobs', () => {
    const { config } = resolveConfig({ schema: experimentSchema, file: join(root, 'mdlm/owt-small.yaml') });
    expect(config.model).toMatchObject({ hidden_size: 768, n_blocks: 12, n_heads: 12, length: 1024, dropout: 0.1 });
    expect(config.family).toMatchObject({ T: 0, time_conditioning: false });
    expect(config.loader.batch_size).toBe(512);
  });
});
