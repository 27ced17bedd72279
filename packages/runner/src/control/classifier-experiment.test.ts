// The control-classifier experiment: its kind is read from the YAML (extends included), its schema fills every
// default and names bad keys, and `dlm train` refuses a bad diffusion_run (not a run; a run of a family without
// gradient-based control) and an attribute that is constant on the data before any run directory exists.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, initBackend } from '@dlm/core';
import { resolveConfig } from '@dlm/config';
import { CLASSIFIER_PATHS, classifierExperimentSchema } from './classifier-experiment.ts';
import { experimentKind } from './experiment-kind.ts';
import { runClassifierTrain } from './run-classifier-train.ts';

const work = mkdtempSync(join(tmpdir(), 'dlm-control-'));
const write = (name: string, text: string) => {
  const f = join(work, name);
  writeFileSync(f, text);
  return f;
};
const CLS = (extra = '') => `kind: control-classifier
diffusion_run: ${join(work, 'nowhere')}
attribute: {name: keyword, word: he, whole_word: false}
trainer: {max_steps: 2}
${extra}`;
// A run directory of another family: sampling/control never gets to its (absent) checkpoints.
const MDLM_RUN = `name: m
family: {name: mdlm}
model: {name: dit, hidden_size: 32, cond_dim: 16, n_heads: 2, n_blocks: 1, length: 32}
data: {dataset: moby-dick, tokenizer: {name: char-vocab}, packing: wrap}
`;

describe('control-classifier experiments', () => {
  beforeAll(() => initBackend({ backend: 'cpu', log: () => {} }));

  it('experimentKind: absent = family, control-classifier (also through extends), else a named error', () => {
    expect(experimentKind(write('fam.yaml', MDLM_RUN))).toBe('family');
    const base = write('base.yaml', CLS());
    expect(experimentKind(base)).toBe('control-classifier');
    expect(experimentKind(write('child.yaml', `extends: base.yaml\nseed: 4\n`))).toBe('control-classifier');
    const bad = write('bad.yaml', `kind: sweep\n`);
    expect(() => experimentKind(bad)).toThrow(ConfigError);
    expect(() => experimentKind(bad)).toThrow(/kind.*control-classifier/s);
  });

  it('the schema fills the defaults and names unknown keys, unknown attributes and bad knobs', () => {
    const { config } = resolveConfig({
      schema: classifierExperimentSchema,
      file: write('ok.yaml', CLS()),
      paths: CLASSIFIER_PATHS,
    });
    expect(config.model).toMatchObject({ hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4 });
    expect(config.eval.noise_levels).toEqual([0, 0.25, 0.5, 0.75]);
    expect(config.attribute).toEqual({ name: 'keyword', word: 'he', whole_word: false, case_sensitive: false });
    const fail = (text: string, re: RegExp) =>
      expect(() => resolveConfig({ schema: classifierExperimentSchema, file: write('x.yaml', text) })).toThrow(re);
    fail(CLS().replace('name: keyword, word: he, whole_word: false', 'name: sentiment'), /keyword, word-count/);
    fail(CLS().replace('word: he', 'word: 3'), /attribute\.word/);
    fail(CLS('family: {name: mdlm}'), /family/);
    fail(CLS('trainer: {init_from: x}').replace('trainer: {max_steps: 2}\n', ''), /init_from/);
    fail(CLS().replace(/diffusion_run: .*\n/, ''), /diffusion_run/);
  });

  it('dlm train: a diffusion_run that is not a run directory is a named error; no run directory is made', async () => {
    const runDir = join(work, 'runs', 'a');
    const go = () => runClassifierTrain({ file: write('a.yaml', CLS()), runDir, argv: [], log: () => {} });
    await expect(go()).rejects.toThrow(ConfigError);
    await expect(go()).rejects.toThrow(
      /diffusion_run is not a run directory, expected a trained diffusion-lm run.*got .*nowhere/s,
    );
    expect(existsSync(runDir)).toBe(false);
  });

  it('dlm train: a diffusion_run of a family without gradient-based control is a named error', async () => {
    const mdlm = join(work, 'mdlm-run');
    mkdirSync(mdlm, { recursive: true });
    writeFileSync(join(mdlm, 'resolved.yaml'), MDLM_RUN);
    const file = write('b.yaml', CLS().replace(join(work, 'nowhere'), mdlm));
    const go = () => runClassifierTrain({ file, runDir: join(work, 'runs', 'b'), argv: [], log: () => {} });
    await expect(go()).rejects.toThrow(/diffusion_run.*gradient-based control \(diffusion-lm\).*a mdlm run/s);
  });
});
