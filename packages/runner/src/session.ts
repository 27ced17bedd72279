// What every run command needs: the resolved experiment, its data, its family model, and its
// vocabulary. Built in this order so that every bad input (config, dataset, lengths, family
// knobs, sampler names) fails before a run directory exists; `dlm train` builds the model before
// it makes the run directory, so the family's own checks (vocabulary, specials) do too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, Rng, stderrLog } from '@dlm/core';
import { resolveConfig, toYaml } from '@dlm/config';
import { filesDataset, formatProgress, openData, type FilesSpec, type OpenedData } from '@dlm/data';
import { backboneMaxLength, families, type FamilyDef, type FamilyModel, type VocabInfo } from '@dlm/models';
import { buildSchedule } from '@dlm/schedules';
import { EXPERIMENT_PATHS, experimentSchema, type Experiment } from './experiment.ts';

export interface Session {
  config: Experiment;
  resolvedYaml: string;
  data: OpenedData;
  family: FamilyDef;
  vocab: VocabInfo;
  /** Block length of the data (≤ the backbone's max length). */
  length: number;
  rng: Rng;
  build(): FamilyModel;
}

export interface SessionOptions {
  /** Experiment YAML file, or a run directory's resolved.yaml. */
  file: string;
  sets?: readonly string[];
  log?: (line: string) => void;
}

export async function openSession(o: SessionOptions): Promise<Session> {
  const log = o.log ?? stderrLog;
  if (!existsSync(o.file))
    throw new ConfigError(
      { op: 'dlm', arg: o.file, expected: 'an experiment YAML file (see experiments/)' },
      'does not exist',
    );
  const { config } = resolveConfig({
    schema: experimentSchema,
    file: o.file,
    sets: o.sets ?? [],
    paths: EXPERIMENT_PATHS,
  });
  const cfg = config as unknown as Experiment;
  const family = families.get(cfg.family.name);
  const modelLength = backboneMaxLength(cfg.model);
  const length = cfg.data.length ?? modelLength;
  if (length > modelLength) {
    throw new ConfigError({
      op: 'experiment',
      arg: 'data.length',
      expected: `at most model.length (${modelLength})`,
      got: String(length),
    });
  }
  // Slots carry their `name`; a family sees only its own knobs.
  const knobs = (slot: Readonly<Record<string, unknown>>) =>
    Object.fromEntries(Object.entries(slot).filter(([k]) => k !== 'name'));
  const specials = Object.fromEntries(
    (family.specialsFor?.(knobs(cfg.family)) ?? family.specials).map((s) => [s, true]),
  );
  const data = await openData(
    {
      dataset: cfg.data.files
        ? filesDataset(cfg.data.dataset, JSON.parse(JSON.stringify(cfg.data.files)) as FilesSpec, { key: 'data.files' })
        : cfg.data.dataset,
      tokenizer: { name: cfg.data.tokenizer.name, options: { ...cfg.data.tokenizer.options }, specials },
      packing: cfg.data.packing,
      length,
      ...(cfg.data.prepared_dir ? { preparedDir: cfg.data.prepared_dir } : {}),
    },
    {
      ...(cfg.data.raw_dir ? { rawDir: cfg.data.raw_dir } : {}),
      onProgress: (p) => {
        if (p.done) log(formatProgress(p));
      },
    },
  );
  const sp = data.tokenizer.specials;
  const vocab: VocabInfo = {
    size: data.tokenizer.vocabSize,
    maskId: sp.mask,
    bosId: sp.bos,
    eosId: sp.eos,
    padId: sp.pad,
  };
  const { name: noiseName, ...noiseKnobs } = cfg.noise;
  // Each knob's range was checked by the slot (errors name noise.<knob>); sigma_min < sigma_max is checked here.
  const noise = buildSchedule(noiseName, noiseKnobs);
  const rng = Rng.seeded(cfg.seed);
  return {
    config: cfg,
    resolvedYaml: toYaml(config),
    data,
    family,
    vocab,
    length,
    rng,
    build: () => family.build({ family: knobs(cfg.family), model: cfg.model, noise, vocab, rng: rng.split('model') }),
  };
}

export function resolvedYamlOf(runDir: string): string {
  const f = join(runDir, 'resolved.yaml');
  if (!existsSync(f))
    throw new ConfigError(
      { op: 'dlm', arg: runDir, expected: 'a run directory with resolved.yaml (made by dlm train)' },
      'is not a run directory',
    );
  return f;
}
