// `dlm generate <run | checkpoint folder>`: generation from prompts. A checkpoint folder is opened
// through its layout (config.json model_type, @dlm/models layouts); a run directory through its
// family model's optional `generate` (run weights as `dlm sample` loads them). Every bad input
// (flags the family cannot use, knobs, prompts, lengths) fails before any weight is read, and the
// command writes no file.
import { ConfigError, Rng, brief, stderrLog, type Nd } from '@dlm/core';
import type { Tokenizer } from '@dlm/data';
import {
  families,
  backboneMaxLength,
  checkpointLayouts,
  detectCheckpointLayout,
  type FamilyModel,
  type GenerateFlag,
  type GenerateKnobs,
  type OpenedCheckpoint,
} from '@dlm/models';
import { leftPad, readPrompts, type PromptSources } from './generate-prompts.ts';
import {
  checkGenerateFlags,
  decodeGenerated,
  generatedPart,
  generationPadId,
  idRows,
  resolveGenerateKnobs,
  type SpecialIds,
} from './generate-knobs.ts';
import { openSession, resolvedYamlOf } from './session.ts';
import { loadRunWeights } from './weights.ts';
import { addedSpecialIds, folderTokenizer, isRunDir } from './open-model.ts';

const OP = 'dlm generate';

export interface GenerateCommandOptions extends PromptSources {
  /** A run directory (resolved.yaml) or a checkpoint folder (config.json). */
  target: string;
  genLength?: number | undefined;
  steps?: number | undefined;
  blockLength?: number | undefined;
  temperature?: number | undefined;
  remasking?: string | undefined;
  cfgScale?: number | undefined;
  topK?: number | undefined;
  topP?: number | undefined;
  /** LLaDA: Fast-dLLM's KV cache (none | prefix | dual), parallel commits and cached-loop order. */
  cache?: string | undefined;
  threshold?: number | undefined;
  factor?: number | undefined;
  cacheLoop?: string | undefined;
  seed?: number | undefined;
  /** Runs only: `--checkpoint <step|dir>` and `--no-ema`, as `dlm sample`. */
  checkpoint?: string | undefined;
  noEma?: boolean | undefined;
  /** Put the BOS id before every prompt (default: a run yes, a folder no). */
  bos?: boolean | undefined;
  log?: (line: string) => void;
}

export interface GenerateOutput {
  /** [B][genLength]: every generated position (no prompt, no padding, not cut at EOS). */
  ids: number[][];
  /** Decoded rows, cut at the first EOS, specials removed. */
  text: string[];
  nfe: number;
  seconds: number;
  /** "layout llada" or "family llada". */
  source: string;
}

type Specials = SpecialIds;

/** What both kinds of target give: limits, specials, tokenizer, and a generate over resolved knobs. */
interface Target extends Specials {
  who: string;
  flags: readonly GenerateFlag[];
  vocabSize: number;
  maxLength: number;
  tokenizer: Tokenizer | undefined;
  /** Further ids dropped from the text: the special added tokens of a folder's tokenizer.json. */
  specialIds: readonly number[];
  checkKnobs(k: GenerateKnobs): void;
  run(req: { prompt: Nd<Int32Array>; attention?: Nd<Int32Array> | undefined; knobs: GenerateKnobs; rng: Rng }): {
    ids: Nd<Int32Array>;
    nfe: number;
  };
  dispose(): void;
}

async function folderTarget(dir: string, seed: number): Promise<Target & { rng: Rng }> {
  const { layout, header } = detectCheckpointLayout(dir);
  const generation = layout.generation;
  if (!generation) {
    const can = [...checkpointLayouts].filter(([, l]) => l.generation).map(([n]) => n);
    throw new ConfigError(
      { op: OP, arg: dir, expected: `a checkpoint folder whose layout generates from a prompt (${can.join(', ')})` },
      `layout ${layout.name} has no prompt-conditioned generation in its reference; use \`dlm sample ${dir}\``,
    );
  }
  const tokenizer = await folderTokenizer(dir, layout);
  let opened: OpenedCheckpoint | undefined;
  return {
    who: `the ${layout.name} layout`,
    flags: generation.flags,
    ...header,
    tokenizer,
    specialIds: addedSpecialIds(dir),
    checkKnobs: (k) => generation.checkKnobs(k),
    run: ({ prompt, attention, knobs, rng }) => {
      opened = generation.open(dir);
      return opened.generate({ prompt, attention, rng, ...knobs });
    },
    dispose: () => opened?.dispose(),
    rng: Rng.seeded(seed),
  };
}

async function runTarget(o: GenerateCommandOptions, log: (line: string) => void): Promise<Target & { rng: Rng }> {
  const s = await openSession({ file: resolvedYamlOf(o.target), log });
  const model: FamilyModel = s.build();
  const family = s.family.name;
  const generation = s.family.generation;
  if (!model.generate || !generation) {
    model.dispose();
    throw new ConfigError(
      {
        op: OP,
        arg: o.target,
        expected: `a run of a family that generates from a prompt (${[...families]
          .filter(([, d]) => d.generation)
          .map(([n]) => n)
          .join(', ')})`,
      },
      `family ${family} cannot generate from a prompt; its commands are sample/eval`,
    );
  }
  const seed = o.seed ?? s.config.seed;
  const v = s.vocab;
  return {
    who: `family ${family}`,
    flags: generation.flags,
    vocabSize: v.size,
    maxLength: backboneMaxLength(s.config.model),
    eosId: v.eosId,
    padId: v.padId,
    bosId: v.bosId,
    maskId: v.maskId,
    tokenizer: s.data.tokenizer,
    specialIds: [],
    checkKnobs: (k) => generation.checkKnobs(k, OP),
    run: ({ prompt, attention, knobs, rng }) => {
      loadRunWeights(model, o.target, { ema: !o.noEma, checkpoint: o.checkpoint, warn: log });
      const sampler = s.config.sampling.predictor;
      const r = model.generate!({ prompt, ...(attention ? { attention } : {}), rng, sampler, ...knobs });
      return { ids: generatedPart(r.ids, prompt.shape[1]!, knobs.genLength, OP), nfe: r.nfe };
    },
    dispose: () => model.dispose(),
    rng: s.rng.split('generate').split(`seed-${seed}`),
  };
}

export async function runGenerate(o: GenerateCommandOptions): Promise<GenerateOutput> {
  const log = o.log ?? stderrLog;
  const prompts = readPrompts(o);
  const isRun = isRunDir(o.target);
  if (!isRun && (o.checkpoint !== undefined || o.noEma)) {
    const arg = o.checkpoint !== undefined ? '--checkpoint' : '--no-ema';
    throw new ConfigError(
      { op: OP, arg, expected: 'a run directory (resolved.yaml)', got: o.target },
      'applies to runs only',
    );
  }
  const t = isRun ? await runTarget(o, log) : await folderTarget(o.target, o.seed ?? 0);
  try {
    checkGenerateFlags(o, t.flags, t.who, OP);
    const knobs = resolveGenerateKnobs(o);
    t.checkKnobs(knobs);
    const rows = prompts.map((p, i) => {
      if ('ids' in p) return p.ids;
      if (!t.tokenizer) {
        throw new ConfigError(
          {
            op: OP,
            arg: prompts.length > 1 ? `prompt ${i}` : '--prompt',
            expected: '--prompt-ids (or a folder with tokenizer.json)',
          },
          `needs a tokenizer: ${o.target} has none`,
        );
      }
      return Array.from(t.tokenizer.encode(p.text));
    });
    // A run's training rows start with BOS (wrap / pad packing), so its prompts do too unless --no-bos; a folder's
    // prompts are the ids given (as the reference generate scripts pass them).
    const bos = o.bos ?? (isRun && t.bosId !== undefined);
    if (bos && t.bosId === undefined) {
      throw new ConfigError({ op: OP, arg: '--bos', expected: 'a model with a BOS token id', got: o.target });
    }
    if (bos) rows.forEach((r, i) => r[0] !== t.bosId && (rows[i] = [t.bosId!, ...r]));
    rows.forEach((r, i) => {
      const arg = prompts.length > 1 ? `prompt ${i}` : '--prompt';
      if (r.length === 0) throw new ConfigError({ op: OP, arg, expected: 'at least one token' }, 'is empty');
      const bad = r.find((id) => !(id < t.vocabSize));
      if (bad !== undefined) {
        const expected = `token ids < the vocabulary size ${t.vocabSize}`;
        throw new ConfigError({ op: OP, arg, expected, got: brief(bad) });
      }
      if (r.length + knobs.genLength > t.maxLength) {
        throw new ConfigError(
          {
            op: OP,
            arg,
            expected: `prompt + gen-length ≤ the model's maximum length ${t.maxLength}`,
            got: `${r.length} + ${knobs.genLength}`,
          },
          'is too long',
        );
      }
    });
    const { prompt, attention } = leftPad(rows, generationPadId(t));
    const t0 = performance.now();
    const r = t.run({ prompt, attention, knobs, rng: t.rng });
    const seconds = (performance.now() - t0) / 1000;
    const ids = idRows(r.ids);
    const text = ids.map((row) => decodeGenerated(row, t, t.tokenizer, t.specialIds));
    return { ids, text, nfe: r.nfe, seconds, source: t.who };
  } finally {
    t.dispose();
  }
}
