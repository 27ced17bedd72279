import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@dlm/core';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigIssuesError } from './issues.ts';
import { resolveConfig, toYaml } from './resolve.ts';
import { exampleSchema } from './testing/example-schema.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlm-config-'));
});
function write(name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}
function fails(fn: () => unknown): ConfigIssuesError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toBeInstanceOf(ConfigIssuesError);
    return e as ConfigIssuesError;
  }
  throw new Error('expected a ConfigError');
}
const resolveFile = (file: string, sets: string[] = []) => resolveConfig({ schema: exampleSchema, file, sets });

describe('resolveConfig: defaults and freezing', () => {
  it('fills every default, including inside component slots and absent sections', () => {
    const f = write('exp.yaml', 'training:\n  steps: 100\nschedule:\n  name: cosine\n');
    const { config, files } = resolveFile(f);
    expect(files).toHaveLength(1);
    expect(config.training).toEqual({
      steps: 100,
      batchSize: 8,
      learningRate: 3e-4,
      betas: [0.9, 0.999],
      evalEvery: [],
    });
    expect(config.model).toEqual({ dim: 64, layers: 2, activation: 'gelu' });
    expect(config.schedule).toEqual({ name: 'cosine', eps: 1e-3, offset: 0.008 });
    expect(config.sampling).toEqual({
      sampler: { name: 'ddpm_cache', steps: 128, noiseRemoval: true },
      temperature: 1,
    });
    expect(config.seed).toBe(0);
  });

  it('returns a deeply frozen config', () => {
    const { config } = resolveFile(write('exp.yaml', 'training: {steps: 1}\n'));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.training)).toBe(true);
    expect(Object.isFrozen(config.training.betas)).toBe(true);
    expect(() => {
      (config.training as { steps: number }).steps = 5;
    }).toThrow(TypeError);
  });

  it('toYaml round-trips to the same resolved config', () => {
    const { config } = resolveFile(write('exp.yaml', 'training: {steps: 7}\nschedule: {name: loglinear, eps: 0.01}\n'));
    const text = toYaml(config);
    expect(parse(text)).toEqual(config);
    expect(resolveConfig({ schema: exampleSchema, text }).config).toEqual(config);
  });
});

describe('resolveConfig: strictness', () => {
  it('rejects an unknown key with its dotted path, file and the nearest valid key', () => {
    const f = write('exp.yaml', 'training:\n  steps: 1\n  lerningRate: 0.1\n');
    const e = fails(() => resolveFile(f));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ path: 'training.lerningRate', got: '"lerningRate"' });
    expect(e.issues[0]!.file).toMatch(/exp\.yaml$/);
    expect(e.message).toContain('nearest valid key: learningRate');
    expect(e.message).toContain('training.lerningRate');
  });

  it('rejects unknown keys inside a component slot against that component only', () => {
    const f = write('exp.yaml', 'training: {steps: 1}\nschedule: {name: loglinear, offset: 0.1}\n');
    const e = fails(() => resolveFile(f));
    expect(e.issues[0]).toMatchObject({ path: 'schedule.offset' });
    expect(e.issues[0]!.expected).toBe('a key of schedule: eps, name');
  });

  it('rejects an unknown component name listing the registered ones', () => {
    const f = write('exp.yaml', 'training: {steps: 1}\nschedule: {name: loglinaer}\n');
    const e = fails(() => resolveFile(f));
    expect(e.issues[0]).toMatchObject({ path: 'schedule.name', expected: 'one of loglinear, cosine' });
    expect(e.message).toContain('not a known schedule (did you mean loglinear?)');
    const far = fails(() => resolveFile(write('far.yaml', 'training: {steps: 1}\nschedule: {name: zigzag}\n')));
    expect(far.message).toContain('zigzag'); // no guess for an unrelated name, just the list
    expect(far.message).not.toContain('did you mean');
  });

  it('a mistyped enum value, in a file or with --set, gets the nearest allowed value', () => {
    const s = write('enum.yaml', 'training: {steps: 1}\nmodel: {activation: gleu}\n');
    expect(fails(() => resolveFile(s)).message).toMatch(/model\.activation is invalid .*\(did you mean gelu\?\)/);
    const f = write('ok.yaml', 'training: {steps: 1}\n');
    expect(fails(() => resolveFile(f, ['model.activation=rleu'])).message).toMatch(
      /wrong type or range.*\(did you mean relu\?\)/,
    );
    expect(fails(() => resolveFile(f, ['schedule.name=cosin'])).message).toMatch(/did you mean cosine\?/);
  });

  it('reports a wrong type with path, expected and got', () => {
    const f = write('exp.yaml', 'training: {steps: "many"}\nmodel: {dim: 1.5}\n');
    const e = fails(() => resolveFile(f));
    const byPath = Object.fromEntries(e.issues.map((i) => [i.path, i]));
    expect(byPath['training.steps']).toMatchObject({
      problem: 'has the wrong type',
      expected: 'an integer > 0',
      got: 'the string "many"',
    });
    expect(byPath['model.dim']!.got).toBe('the number 1.5');
    expect(e.message).toMatch(/exp\.yaml: (training\.steps|model\.dim)/);
  });

  it('reports a required key that is missing', () => {
    const e = fails(() => resolveFile(write('exp.yaml', 'seed: 3\n')));
    expect(e.issues[0]).toMatchObject({
      path: 'training.steps',
      problem: 'is required',
      got: 'nothing (the key is missing)',
    });
  });

  it('rejects duplicate keys, naming the line', () => {
    const e = fails(() => resolveFile(write('exp.yaml', 'seed: 1\nseed: 2\n')));
    expect(e.issues[0]!.path).toBe('line 2, column 1');
    expect(e.message).toContain('unique');
  });

  it('refuses ${...} interpolation instead of evaluating it', () => {
    const e = fails(() => resolveFile(write('exp.yaml', 'training: {steps: 1}\ndata: {dataset: "${oc.env:HOME}"}\n')));
    expect(e.issues[0]).toMatchObject({ path: 'data.dataset' });
    expect(e.message).toContain('interpolation');
  });
});

describe('resolveConfig: extends', () => {
  it('deep-merges parents, child wins, lists are replaced', () => {
    write(
      'base/common.yaml',
      'seed: 1\nmodel: {dim: 32, layers: 4}\ntraining: {steps: 10, evalEvery: [1, 2, 3], batchSize: 4}\n',
    );
    write('base/big.yaml', 'extends: common.yaml\nmodel: {dim: 256}\n');
    const f = write('exp.yaml', 'extends: [base/big.yaml]\ntraining: {evalEvery: [9]}\nseed: 5\n');
    const { config, files, provenance } = resolveFile(f);
    expect(config.seed).toBe(5);
    expect(config.model).toEqual({ dim: 256, layers: 4, activation: 'gelu' });
    expect(config.training.evalEvery).toEqual([9]);
    expect(config.training.batchSize).toBe(4);
    expect(files.map((x) => x.split(/[\\/]/).pop())).toEqual(['common.yaml', 'big.yaml', 'exp.yaml']);
    expect(provenance.get('model.dim')).toMatch(/big\.yaml$/);
    expect(provenance.get('model.layers')).toMatch(/common\.yaml$/);
  });

  it('names the file an error came from when it is in a parent', () => {
    write('base.yaml', 'model: {dimm: 3}\n');
    const e = fails(() => resolveFile(write('exp.yaml', 'extends: base.yaml\ntraining: {steps: 1}\n')));
    expect(e.issues[0]!.file).toMatch(/base\.yaml$/);
    expect(e.issues[0]!.path).toBe('model.dimm');
  });

  it('detects a cycle and names the chain', () => {
    write('a.yaml', 'extends: b.yaml\n');
    write('b.yaml', 'extends: c.yaml\n');
    write('c.yaml', 'extends: a.yaml\n');
    const e = fails(() => resolveFile(join(dir, 'a.yaml')));
    expect(e.message).toMatch(/cycle: \S*a\.yaml → \S*b\.yaml → \S*c\.yaml → \S*a\.yaml/);
  });

  it('reports a missing extends file, naming the including file and the target', () => {
    const f = write('exp.yaml', 'extends: ../nowhere/base.yaml\n');
    const e = fails(() => resolveFile(f));
    expect(e.issues[0]!.file).toMatch(/exp\.yaml$/);
    expect(e.issues[0]!.path).toBe('extends');
    expect(e.message).toContain('nowhere/base.yaml');
    expect(e.message).toContain('does not exist');
  });

  it('reports a missing top-level file', () => {
    const e = fails(() => resolveFile(join(dir, 'missing.yaml')));
    expect(e.message).toContain('file not found');
  });
});

describe('resolveConfig: --set overrides', () => {
  const base = () => write('exp.yaml', 'training: {steps: 10}\nschedule: {name: loglinear}\n');

  it('applies valid nested overrides, parsed as YAML scalars and flow collections', () => {
    const { config, provenance } = resolveFile(base(), [
      'training.learningRate=1e-3',
      'model.activation=relu',
      'training.betas=[0.8, 0.9]',
      'schedule.eps=0.01',
      'sampling.sampler.steps=16',
      'tags.note=first run',
    ]);
    expect(config.training.learningRate).toBe(1e-3);
    expect(config.model.activation).toBe('relu');
    expect(config.training.betas).toEqual([0.8, 0.9]);
    expect(config.schedule).toEqual({ name: 'loglinear', eps: 0.01 });
    expect(config.sampling.sampler).toEqual({ name: 'ddpm_cache', steps: 16, noiseRemoval: true });
    expect(config.tags).toEqual({ note: 'first run' });
    expect(provenance.get('training.learningRate')).toBe('--set');
  });

  it('switches a component by replacing the slot mapping', () => {
    const { config } = resolveFile(base(), ['schedule={name: cosine, offset: 0.1}']);
    expect(config.schedule).toEqual({ name: 'cosine', eps: 1e-3, offset: 0.1 });
  });

  it('rejects a path the schema does not have, naming the nearest key', () => {
    const e = fails(() => resolveFile(base(), ['training.lr=0.1']));
    expect(e.issues[0]).toMatchObject({ file: '--set', path: 'training.lr' });
    expect(e.message).toContain('nearest valid key: learningRate');
    const e2 = fails(() => resolveFile(base(), ['modle.dim=3']));
    expect(e2.message).toContain('nearest valid key: model');
  });

  it('checks against the schema, not the YAML: a key absent from the YAML is settable', () => {
    // `model` is not in the YAML at all; its keys come from the schema.
    expect(resolveFile(base(), ['model.layers=6']).config.model.layers).toBe(6);
    // A key valid for another schedule but not the chosen one is rejected.
    const e = fails(() => resolveFile(base(), ['schedule.offset=0.1']));
    expect(e.issues[0]!.path).toBe('schedule.offset');
    expect(e.issues[0]!.expected).toContain('eps');
  });

  it('rejects a wrong type, naming path, expected and got', () => {
    const e = fails(() => resolveFile(base(), ['training.steps=lots']));
    expect(e.issues[0]).toMatchObject({
      file: '--set',
      path: 'training.steps',
      expected: 'an integer > 0',
      got: 'the string "lots"',
    });
    const e2 = fails(() => resolveFile(base(), ['schedule.eps=0.9']));
    expect(e2.issues[0]).toMatchObject({
      path: 'schedule.eps',
      expected: 'a number > 0 and <= 0.5',
      got: 'the number 0.9',
    });
    const e3 = fails(() => resolveFile(base(), ['model.activation=swish']));
    expect(e3.issues[0]!.expected).toBe('one of gelu, relu');
  });

  it('rejects a malformed argument', () => {
    expect(fails(() => resolveFile(base(), ['training.steps'])).message).toContain('path.to.key=value');
  });
});
