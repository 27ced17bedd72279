// `<model>` of every evaluation command: a run directory (resolved.yaml + checkpoints/) or a checkpoint folder
// in a published layout (config.json + model.safetensors or a sharded index; @dlm/models layouts). Both open to
// the same thing: the family model with its weights loaded, its tokenizer (absent = ids only), its token ids and
// its maximum length, so `dlm eval mc / likelihood / gen-ppl / generate` and `dlm sample` never ask which it was.
// A folder becomes the slots of an experiment (layout.experiment: family, backbone with init_from, noise), built
// by the same family registry as a run; its tokenizer is the folder's tokenizer.json, else the layout's (gpt2 →
// GPT-2 BPE), else none.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError, Rng, stderrLog } from '@dlm/core';
import { buildTokenizer, type Tokenizer } from '@dlm/data';
import {
  backboneMaxLength,
  detectCheckpointLayout,
  families,
  type CheckpointLayout,
  type FamilyDef,
  type FamilyModel,
  type VocabInfo,
} from '@dlm/models';
import { buildSchedule } from '@dlm/schedules';
import { openSession, resolvedYamlOf, type Session } from './session.ts';
import { loadRunWeights } from './weights.ts';

export interface OpenedModel {
  readonly kind: 'run' | 'checkpoint';
  /** The path as given. */
  readonly path: string;
  /** "run runs/ar-q (step 300, EMA)" / "checkpoint folder ../gpt2 (layout gpt2)". */
  readonly label: string;
  readonly family: FamilyDef;
  /** The family slot's knobs (without name). */
  readonly familyKnobs: Readonly<Record<string, unknown>>;
  /** Weights loaded (a run: its latest good checkpoint, EMA when kept; a folder: its safetensors). */
  readonly model: FamilyModel;
  /** Absent: the model has no tokenizer (a folder without tokenizer.json whose layout names none): ids only. */
  readonly tokenizer: Tokenizer | undefined;
  readonly vocab: VocabInfo;
  /** Positions the backbone accepts (Infinity when the config names no limit). */
  readonly maxLength: number;
  /** The run's session (runs only): its data, config and rng. */
  readonly session?: Session | undefined;
  /** A checkpoint folder's layout (folders only). */
  readonly layout?: CheckpointLayout | undefined;
  /** The run's checkpoint step (runs only). */
  readonly checkpointStep?: number | undefined;
  /** Sampling defaults: a run's `sampling` section, or what a folder's config names (SEDD: predictor, steps). */
  readonly sampling?: { predictor?: string | undefined; steps?: number | undefined } | undefined;
  /** Seeded from `seed` (default: the run's experiment seed, 0 for a folder). */
  readonly rng: Rng;
  /**
   * Where `dlm eval <verb>` writes when `--out` is absent: `<run>/evals/<verb>` for a run, and
   * `evals/<folder name>/<verb>` under the working directory for a folder (which may be read-only).
   */
  defaultOutDir(verb: string): string;
  dispose(): void;
}

export interface OpenModelOptions {
  /** Runs: `--no-ema` reads the raw weights. */
  noEma?: boolean | undefined;
  /** Runs: `--checkpoint <step|dir>`. */
  checkpoint?: string | undefined;
  seed?: number | undefined;
  /** The command, for errors ("dlm eval mc"). */
  op?: string | undefined;
  log?: (line: string) => void;
}

/** True when `path` is a run directory (it holds resolved.yaml). */
export function isRunDir(path: string): boolean {
  return existsSync(join(path, 'resolved.yaml'));
}

export async function openModel(path: string, o: OpenModelOptions = {}): Promise<OpenedModel> {
  const op = o.op ?? 'dlm eval';
  const log = o.log ?? stderrLog;
  if (!existsSync(path)) {
    const expected = 'a run directory (resolved.yaml) or a checkpoint folder (config.json)';
    throw new ConfigError({ op, arg: path, expected }, 'does not exist');
  }
  return isRunDir(path) ? openRun(path, o, log) : openFolder(path, o, op);
}

async function openRun(dir: string, o: OpenModelOptions, log: (l: string) => void): Promise<OpenedModel> {
  const s = await openSession({ file: resolvedYamlOf(dir), log });
  const model = s.build();
  let loaded;
  try {
    loaded = loadRunWeights(model, dir, { ema: !o.noEma, checkpoint: o.checkpoint, warn: log });
  } catch (e) {
    model.dispose();
    throw e;
  }
  const seed = o.seed ?? s.config.seed;
  const knobs = Object.fromEntries(Object.entries(s.config.family).filter(([k]) => k !== 'name'));
  return {
    kind: 'run',
    path: dir,
    label: `run ${dir} (step ${loaded.step}${loaded.ema ? ', EMA' : ''})`,
    family: s.family,
    familyKnobs: knobs,
    model,
    tokenizer: s.data.tokenizer,
    vocab: s.vocab,
    maxLength: Math.min(s.length, backboneMaxLength(s.config.model)),
    session: s,
    checkpointStep: loaded.step,
    sampling: { predictor: s.config.sampling.predictor, steps: s.config.sampling.steps },
    rng: s.rng.split('eval').split(`seed-${seed}`),
    defaultOutDir: (verb) => join(dir, 'evals', verb),
    dispose: () => model.dispose(),
  };
}

async function openFolder(dir: string, o: OpenModelOptions, op: string): Promise<OpenedModel> {
  for (const [flag, given] of [
    ['--checkpoint', o.checkpoint !== undefined],
    ['--no-ema', o.noEma === true],
  ] as const) {
    if (given) {
      throw new ConfigError(
        { op, arg: flag, expected: 'a run directory (resolved.yaml)', got: dir },
        'applies to runs only',
      );
    }
  }
  const { layout, header, config, file } = detectCheckpointLayout(dir, op);
  const x = layout.experiment(dir, config, file);
  const family = families.get(x.family.name);
  const knobs = Object.fromEntries(Object.entries(x.family).filter(([k]) => k !== 'name'));
  const { name: noiseName, ...noiseKnobs } = x.noise;
  const tokenizer = await folderTokenizer(dir, layout);
  const rng = Rng.seeded(o.seed ?? 0);
  const model = family.build({
    family: knobs,
    model: x.model,
    noise: buildSchedule(noiseName, noiseKnobs),
    vocab: x.vocab,
    rng: rng.split('model'),
  });
  return {
    kind: 'checkpoint',
    path: dir,
    label: `checkpoint folder ${dir} (layout ${layout.name})`,
    family,
    familyKnobs: knobs,
    model,
    tokenizer,
    vocab: x.vocab,
    maxLength: header.maxLength,
    layout,
    sampling: x.sampling,
    rng: rng.split('eval'),
    defaultOutDir: (verb) => join('evals', basename(resolve(dir)), verb),
    dispose: () => model.dispose(),
  };
}

/**
 * The folder's tokenizer.json, else the layout's tokenizer (gpt2 → GPT-2 BPE; sedd/mdlm → GPT-2 BPE for a GPT-2
 * vocabulary + MASK), else none (ids only).
 */
export async function folderTokenizer(dir: string, layout: CheckpointLayout): Promise<Tokenizer | undefined> {
  const tokFile = join(dir, 'tokenizer.json');
  if (existsSync(tokFile)) return buildTokenizer({ name: 'hf', options: { path: tokFile } });
  let name = layout.tokenizer;
  if (typeof name === 'function') {
    const file = join(dir, 'config.json');
    name = name(layout.header(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, file));
  }
  if (name) return buildTokenizer({ name });
  return undefined;
}

/** Ids of the `added_tokens` marked `special` in a folder's tokenizer.json (chat markers, EOT, …). */
export function addedSpecialIds(dir: string): number[] {
  const file = join(dir, 'tokenizer.json');
  if (!existsSync(file)) return [];
  const json = JSON.parse(readFileSync(file, 'utf8')) as { added_tokens?: { id?: unknown; special?: unknown }[] };
  return (json.added_tokens ?? [])
    .filter((t) => t.special === true && typeof t.id === 'number')
    .map((t) => t.id as number);
}

/** A named error when the model has no tokenizer and the command needs text. */
export function requireTokenizer(m: OpenedModel, op: string, why: string): Tokenizer {
  if (m.tokenizer) return m.tokenizer;
  throw new ConfigError(
    { op, arg: m.path, expected: `a model with a tokenizer (a run, or a folder with tokenizer.json) to ${why}` },
    'has no tokenizer',
  );
}
