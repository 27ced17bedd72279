// `dlm sample <run | checkpoint folder>`: the run's EMA weights (or the folder's weights, opened by openModel as
// its family's model), a family sampler, samples written as JSONL + text, with NFE and tokens/s. A folder without
// a tokenizer prints and writes ids.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError, brief, stderrLog, type Nd } from '@dlm/core';
import { stepsLabel, type FamilyModel } from '@dlm/models';
import { isRunDir, openModel } from './open-model.ts';
import type { GaussianStepControl } from '@dlm/samplers';
import { openSession, resolvedYamlOf, type Session } from './session.ts';
import { loadRunWeights } from './weights.ts';

export interface SampleInfo {
  sampler: string;
  steps: number;
  /** "128 steps", or "one call per token" for a family that ignores steps (stepsLabel). */
  stepsLabel: string;
  nfe: number;
  seconds: number;
  tokensPerSec: number;
  seed: number;
  /** The run's checkpoint step (absent for a checkpoint folder). */
  checkpointStep?: number | undefined;
  ids: Nd<Int32Array>;
  /** Decoded samples; ids joined by spaces when the model has no tokenizer. */
  texts: string[];
}

export interface SampleOptions {
  predictor: string;
  steps: number;
  num: number;
  length: number;
  useEma: boolean;
  seed?: number;
  /** `--checkpoint <step|dir>`; default the latest good one. */
  checkpoint?: string | undefined;
  /** Keep special tokens ([BOS], [EOS], …) in the decoded text. */
  raw?: boolean | undefined;
  warn?: (line: string) => void;
  /** Gradient-based control of a Gaussian chain (models with embeddingSpace; control/control-sample.ts). */
  control?: GaussianStepControl | undefined;
}

export async function sampleWithModel(
  s: Session,
  model: FamilyModel,
  runDir: string,
  o: SampleOptions,
): Promise<SampleInfo> {
  const loaded = loadRunWeights(model, runDir, {
    ema: o.useEma,
    checkpoint: o.checkpoint,
    ...(o.warn ? { warn: o.warn } : {}),
  });
  return drawSamples(s, model, o, loaded.step);
}

/** Samples from a model whose weights are loaded (checkpoint `checkpointStep`): ids, decoded texts, NFE, speed. */
export function drawSamples(
  s: Session,
  model: FamilyModel,
  o: Omit<SampleOptions, 'useEma' | 'checkpoint' | 'warn'>,
  checkpointStep: number,
): SampleInfo {
  const seed = o.seed ?? s.config.seed;
  const rng = s.rng.split('sample').split(`seed-${seed}`);
  const t0 = performance.now();
  const { num, length, steps, predictor: sampler, control } = o;
  const r = model.sample({ num, length, steps, sampler, rng, ...(control ? { control } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const L = r.ids.shape[1]!;
  const texts = Array.from({ length: r.ids.shape[0]! }, (_, i) =>
    s.data.tokenizer.decode(r.ids.data.subarray(i * L, (i + 1) * L), { specials: o.raw ? 'show' : 'skip' }),
  );
  return {
    sampler: o.predictor,
    steps: o.steps,
    stepsLabel: stepsLabel(s.family, o.steps),
    nfe: r.nfe,
    seconds,
    tokensPerSec: (o.num * o.length) / seconds,
    seed,
    checkpointStep,
    ids: r.ids,
    texts,
  };
}

export function writeSamples(runDir: string, tag: string, s: Session, info: SampleInfo): string {
  return writeSampleFiles(join(runDir, 'samples'), tag, s.vocab.size, info);
}

/** `<dir>/<tag>-<sampler>-<steps>steps-seed<seed>.{jsonl,txt,meta.json}`; returns the .txt path. */
export function writeSampleFiles(dir: string, tag: string, vocabSize: number, info: SampleInfo): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${tag}-${info.sampler}-${info.steps}steps-seed${info.seed}`);
  const L = info.ids.shape[1]!;
  const jsonl = info.texts
    .map((text, i) => JSON.stringify({ index: i, text, ids: [...info.ids.data.subarray(i * L, (i + 1) * L)] }))
    .join('\n');
  writeFileSync(`${base}.jsonl`, `${jsonl}\n`);
  writeFileSync(`${base}.txt`, info.texts.map((t, i) => `=== sample ${i} ===\n${t}\n`).join('\n'));
  const meta = {
    sampler: info.sampler,
    steps: info.steps,
    nfe: info.nfe,
    seconds: info.seconds,
    tokens_per_sec: info.tokensPerSec,
    seed: info.seed,
    ...(info.checkpointStep !== undefined ? { checkpoint_step: info.checkpointStep } : {}),
    num: info.ids.shape[0],
    length: L,
    vocab: vocabSize,
  };
  writeFileSync(`${base}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
  return `${base}.txt`;
}

export interface SampleCommandOptions {
  /** A run directory or a checkpoint folder. */
  runDir: string;
  sampler?: string;
  steps?: number;
  num?: number;
  length?: number;
  seed?: number;
  noEma?: boolean;
  checkpoint?: string;
  raw?: boolean;
  /** Checkpoint folders: where the sample files go (default `samples/<folder name>/` under the working directory). */
  out?: string;
  log?: (line: string) => void;
}

export async function runSample(o: SampleCommandOptions): Promise<SampleInfo & { path: string }> {
  const log = o.log ?? stderrLog;
  if (!isRunDir(o.runDir)) return runFolderSample(o, log);
  if (o.out !== undefined) {
    const expected = 'a checkpoint folder (a run writes to <run>/samples)';
    throw new ConfigError({ op: 'dlm sample', arg: '--out', expected, got: o.runDir }, 'applies to folders only');
  }
  // --sampler is an override of sampling.predictor, so the config validation checks it (one place).
  const sets = o.sampler !== undefined ? [`sampling.predictor=${o.sampler}`] : [];
  const s = await openSession({ file: resolvedYamlOf(o.runDir), sets, log });
  const c = s.config;
  const length = o.length ?? c.sampling.length ?? s.length;
  const model = s.build();
  try {
    const info = await sampleWithModel(s, model, o.runDir, {
      predictor: c.sampling.predictor,
      steps: o.steps ?? c.sampling.steps,
      num: o.num ?? c.sampling.num_samples,
      length,
      useEma: !o.noEma,
      checkpoint: o.checkpoint,
      raw: o.raw,
      warn: log,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    });
    const path = writeSamples(o.runDir, 'sample', s, info);
    return { ...info, path };
  } finally {
    model.dispose();
  }
}

/** MDLM's configs/config.yaml sampling.steps, for a folder whose config names none. */
const FOLDER_DEFAULT_STEPS = 1000;
const FOLDER_DEFAULT_NUM = 4;

/**
 * `dlm sample <checkpoint folder>`: the folder opened by openModel (its layout's family, the folder's weights), the
 * family's default sampler or `--sampler`, steps and predictor from the folder's config when it names them (SEDD's
 * `sampling`), length = the config's model length unless `--length` is given. Files go to `samples/<folder name>/`.
 */
async function runFolderSample(
  o: SampleCommandOptions,
  log: (l: string) => void,
): Promise<SampleInfo & { path: string }> {
  const op = 'dlm sample';
  const m = await openModel(o.runDir, {
    op,
    log,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.checkpoint !== undefined ? { checkpoint: o.checkpoint } : {}),
    ...(o.noEma ? { noEma: true } : {}),
  });
  try {
    const family = m.family;
    const configured = m.sampling ?? {};
    const sampler = o.sampler ?? configured.predictor ?? family.defaultSampler;
    if (!family.samplers.has(sampler)) {
      const expected = `a sampler of family ${family.name}: ${family.samplers.names().join(', ')}`;
      throw new ConfigError({ op, arg: '--sampler', expected, got: brief(sampler) });
    }
    const length = o.length ?? m.maxLength;
    if (!(Number.isInteger(length) && length > 0)) {
      const expected = 'a positive integer (the folder config names no model length)';
      throw new ConfigError({ op, arg: '--length', expected, got: brief(length) });
    }
    const steps = o.steps ?? configured.steps ?? FOLDER_DEFAULT_STEPS;
    const num = o.num ?? FOLDER_DEFAULT_NUM;
    const seed = o.seed ?? 0;
    const rng = m.rng.split('sample');
    const t0 = performance.now();
    const r = m.model.sample({ num, length, steps, sampler, rng });
    const seconds = (performance.now() - t0) / 1000;
    const L = r.ids.shape[1]!;
    const rows = Array.from({ length: r.ids.shape[0]! }, (_, i) => r.ids.data.subarray(i * L, (i + 1) * L));
    const tok = m.tokenizer;
    const texts = rows.map((row) =>
      tok ? tok.decode(row, { specials: o.raw ? 'show' : 'skip' }) : Array.from(row).join(' '),
    );
    if (!tok) log(`${m.label} has no tokenizer (no tokenizer.json): printing token ids`);
    const info: SampleInfo = {
      sampler,
      steps,
      stepsLabel: stepsLabel(m.family, steps),
      nfe: r.nfe,
      seconds,
      tokensPerSec: (num * length) / seconds,
      seed,
      ids: r.ids,
      texts,
    };
    const dir = o.out ?? join('samples', basename(resolve(o.runDir)));
    return { ...info, path: writeSampleFiles(dir, 'sample', m.vocab.size, info) };
  } finally {
    m.dispose();
  }
}
