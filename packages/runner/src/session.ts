// What every run command needs: the resolved experiment, its data, its family model, and its
// vocabulary. Built in this order so that every bad input (config, dataset, lengths, family
// knobs, sampler names) fails before a run directory exists; `dlm train` builds the model before
// it makes the run directory, so the family's own checks (vocabulary, specials) do too.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, Rng, stderrLog } from '@dlm/core';
import { resolveConfig, toYaml } from '@dlm/config';
import {
  cacheRoot,
  filesDataset,
  formatProgress,
  openData,
  openPairs,
  selectPairs,
  type FilesSpec,
  type OpenedData,
  type PackedPairs,
  type PairsManifest,
} from '@dlm/data';
import { backboneMaxLength, families, type FamilyDef, type FamilyModel, type VocabInfo } from '@dlm/models';
import { buildSchedule } from '@dlm/schedules';
import { EXPERIMENT_PATHS, experimentSchema, type Experiment } from './experiment.ts';
import { experimentKind } from './control/experiment-kind.ts';

/** `data.pairs` packed into rows of the block length, split into train and held-out validation rows. */
export interface SessionPairs {
  train: PackedPairs;
  validation: PackedPairs;
  manifest: PairsManifest;
}

export interface Session {
  config: Experiment;
  resolvedYaml: string;
  data: OpenedData;
  /** SFT pairs (`data.pairs`); absent = train on the dataset's blocks. */
  pairs?: SessionPairs | undefined;
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
  if (experimentKind(o.file) !== 'family') {
    const expected = 'a family experiment (a control classifier is used as dlm sample <run> --control <classifier>)';
    throw new ConfigError({ op: 'dlm', arg: o.file, expected }, 'is a control-classifier experiment');
  }
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
  const pairs = cfg.data.pairs ? await openSessionPairs(cfg.data.pairs, data, length, log) : undefined;
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
    pairs,
    family,
    vocab,
    length,
    rng,
    build: () => family.build({ family: knobs(cfg.family), model: cfg.model, noise, vocab, rng: rng.split('model') }),
  };
}

type PairsSlot = NonNullable<Experiment['data']['pairs']>;

/**
 * Prepares (cached by content under `<cache root>/pairs/`) and packs `data.pairs` with the dataset's
 * tokenizer; every `validation_every`-th pair is the validation split, the rest is train.
 */
async function openSessionPairs(
  c: PairsSlot,
  data: OpenedData,
  length: number,
  log: (l: string) => void,
): Promise<SessionPairs> {
  const config = { format: c.format, path: c.path, source_field: c.source_field, target_field: c.target_field };
  const tok = data.tokenizer;
  const template = c.chat_template ?? null;
  const key = JSON.stringify({ path: resolve(c.path), config, template, tokenizer: tok.state() });
  const dir = join(cacheRoot(), 'pairs', createHash('sha256').update(key).digest('hex').slice(0, 16));
  const opened = await openPairs(config, tok, {
    dir,
    rowLength: length,
    overflow: c.overflow,
    ...(c.chat_template === undefined ? {} : { chatTemplate: c.chat_template }),
  });
  const rows = opened.packed.shape[0];
  const every = c.validation_every;
  const all = Array.from({ length: rows }, (_, i) => i);
  const validation = all.filter((i) => i % every === every - 1);
  if (validation.length === 0 || validation.length === rows) {
    const expected = `at least ${every} pairs (every ${every}-th pair is held out for validation)`;
    throw new ConfigError({ op: 'experiment', arg: 'data.pairs', expected, got: `${rows} pairs` });
  }
  // data.json lists the pairs file (bytes, sha256): `dlm train --resume` warns when it changed.
  const src = opened.manifest.source;
  const file = {
    split: 'pairs',
    format: src.format,
    path: src.path,
    options: {},
    bytes: src.bytes,
    sha256: src.sha256,
  };
  data.record = { ...data.record, files: [...(data.record.files ?? []), file] };
  const p = opened.packed;
  const cut = p.truncated || p.dropped ? ` (${p.truncated} truncated, ${p.dropped} dropped)` : '';
  const cached = opened.reused ? ' (cached)' : '';
  log(`pairs ${c.path}: ${rows} rows of ${length}${cut}, ${validation.length} held out for validation${cached}`);
  return {
    train: selectPairs(
      p,
      all.filter((i) => i % every !== every - 1),
    ),
    validation: selectPairs(p, validation),
    manifest: opened.manifest,
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
