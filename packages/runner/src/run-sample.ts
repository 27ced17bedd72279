// `dlm sample <run>`: the run's EMA weights, a family sampler, samples written as JSONL + text,
// with NFE and tokens/s.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stderrLog, type Nd } from '@dlm/core';
import type { FamilyModel } from '@dlm/models';
import type { GaussianStepControl } from '@dlm/samplers';
import { openSession, resolvedYamlOf, type Session } from './session.ts';
import { loadRunWeights } from './weights.ts';

export interface SampleInfo {
  sampler: string;
  steps: number;
  nfe: number;
  seconds: number;
  tokensPerSec: number;
  seed: number;
  checkpointStep: number;
  ids: Nd<Int32Array>;
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
  const dir = join(runDir, 'samples');
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
    checkpoint_step: info.checkpointStep,
    num: info.ids.shape[0],
    length: L,
    vocab: s.vocab.size,
  };
  writeFileSync(`${base}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
  return `${base}.txt`;
}

export interface SampleCommandOptions {
  runDir: string;
  sampler?: string;
  steps?: number;
  num?: number;
  length?: number;
  seed?: number;
  noEma?: boolean;
  checkpoint?: string;
  raw?: boolean;
  log?: (line: string) => void;
}

export async function runSample(o: SampleCommandOptions): Promise<SampleInfo & { path: string }> {
  const log = o.log ?? stderrLog;
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
