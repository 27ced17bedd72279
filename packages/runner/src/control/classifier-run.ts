// A trained control-classifier run, opened for sampling: its config (the attribute), control.json (the labels and
// the embedding it was trained on) and the classifier with its weights (EMA when kept). It must match the
// diffusion run being sampled: the same word embedding (sha256 of E), else its gradients point nowhere.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@dlm/core';
import { resolveConfig } from '@dlm/config';
import { AttributeClassifier, resolveAttributeClassifierOptions } from '@dlm/models';
import { Rng } from '@dlm/core';
import { loadRunWeights } from '../weights.ts';
import { bindAttribute, type BoundAttribute } from './attributes/registry.ts';
import {
  CLASSIFIER_PATHS,
  CONTROL_CLASSIFIER_KIND,
  classifierExperimentSchema,
  type ClassifierExperiment,
} from './classifier-experiment.ts';
import { checkRunDir, type DiffusionRun } from './diffusion-run.ts';
import { experimentKind } from './experiment-kind.ts';
import { CONTROL_RECORD, type ControlRecord } from './run-classifier-train.ts';

export interface ClassifierRun {
  dir: string;
  config: ClassifierExperiment;
  record: ControlRecord;
  attribute: BoundAttribute;
  net: AttributeClassifier;
  checkpointStep: number;
  dispose(): void;
}

export function openClassifierRun(dir: string, diffusion: DiffusionRun, arg = '--control'): ClassifierRun {
  const op = 'sample --control';
  const what = 'a control-classifier run directory (made by dlm train <classifier.yaml>)';
  checkRunDir(dir, { op, arg }, what);
  const file = join(dir, 'resolved.yaml');
  const recordPath = join(dir, CONTROL_RECORD);
  if (experimentKind(file) !== CONTROL_CLASSIFIER_KIND || !existsSync(recordPath))
    throw new ConfigError({ op, arg, expected: what, got: dir }, 'is not a control-classifier run');
  const { config } = resolveConfig({ schema: classifierExperimentSchema, file, paths: CLASSIFIER_PATHS });
  const c = config as ClassifierExperiment;
  const record = JSON.parse(readFileSync(recordPath, 'utf8')) as ControlRecord;
  if (record.embedding_sha256 !== diffusion.embeddingSha256) {
    const expected = `the diffusion run it was trained on (${record.diffusion_run}, checkpoint step ${record.checkpoint_step})`;
    const got = `step ${diffusion.checkpointStep} of ${diffusion.dir}`;
    throw new ConfigError({ op, arg, expected, got }, 'was trained on another word embedding');
  }
  const attribute = bindAttribute(c.attribute);
  const options = resolveAttributeClassifierOptions(c.model, {
    embeddingDim: record.embedding_dim,
    maxLength: record.max_length,
    classes: attribute.labels.length,
  });
  const net = new AttributeClassifier(options, Rng.seeded(c.seed).split('model'));
  try {
    const loaded = loadRunWeights({ params: net.params }, dir, { ema: true });
    return { dir, config: c, record, attribute, net, checkpointStep: loaded.step, dispose: () => net.dispose() };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
