// `dlm generate <run | checkpoint folder>`: generation from prompts. A checkpoint folder is opened
// through its layout (config.json model_type, @dlm/models layouts); a run directory through its
// family model's optional `generate` (run weights as `dlm sample` loads them). Every bad input
// (flags the family cannot use, knobs, prompts, lengths) fails before any weight is read, and the
// command writes no file.
import { ConfigError, Rng, ShapeError, brief, stderrLog, type Nd } from '@dlm/core';
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
  seed?: number | undefined;
  /** Runs only: `--checkpoint <step|dir>` and `--no-ema`, as `dlm sample`. */
  checkpoint?: string | undefined;
  noEma?: boolean | undefined;
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

const FLAG_OF = {
  genLength: 'gen-length',
  steps: 'steps',
  blockLength: 'block-length',
  temperature: 'temperature',
  remasking: 'remasking',
  cfgScale: 'cfg-scale',
  topK: 'top-k',
  topP: 'top-p',
} as const satisfies Record<keyof GenerateKnobs, GenerateFlag>;

/** A flag the model cannot use is an error naming the flags it can. */
export function checkGenerateFlags(o: GenerateCommandOptions, allowed: readonly GenerateFlag[], who: string): void {
  for (const [key, flag] of Object.entries(FLAG_OF) as [keyof GenerateKnobs, GenerateFlag][]) {
    if (o[key] !== undefined && !allowed.includes(flag)) {
      const expected = `only the flags of ${who}: ${allowed.map((f) => `--${f}`).join(', ')}`;
      throw new ConfigError({ op: OP, arg: `--${flag}`, expected }, `is not used by ${who}`);
    }
  }
}

/** Defaults of LLaDA's generate: gen_length 128, steps = block_length = gen_length, temperature 0. */
export function resolveGenerateKnobs(o: GenerateCommandOptions): GenerateKnobs {
  const genLength = o.genLength ?? 128;
  return {
    genLength,
    steps: o.steps ?? genLength,
    blockLength: o.blockLength ?? genLength,
    temperature: o.temperature ?? 0,
    remasking: o.remasking ?? 'low_confidence',
    cfgScale: o.cfgScale ?? 0,
    topK: o.topK ?? 0,
    topP: o.topP ?? 1,
  };
}

interface Specials {
  eosId?: number | undefined;
  padId?: number | undefined;
  bosId?: number | undefined;
  maskId?: number | undefined;
}

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
      return { ids: generatedPart(r.ids, prompt.shape[1]!, knobs.genLength), nfe: r.nfe };
    },
    dispose: () => model.dispose(),
    rng: s.rng.split('generate').split(`seed-${seed}`),
  };
}

/** [B, P + G] (prompt and generation, as LLaDA's generate returns) or [B, G] → [B, G]. */
function generatedPart(ids: Nd<Int32Array>, p: number, g: number): Nd<Int32Array> {
  const [b, l] = ids.shape as [number, number];
  if (l === g) return ids;
  if (l !== p + g) {
    const expected = `[${b}, ${p + g}] or [${b}, ${g}]`;
    throw new ShapeError({ op: `${OP}: model.generate`, arg: 'ids', expected, got: `[${ids.shape}]` });
  }
  const out = new Int32Array(b * g);
  for (let i = 0; i < b; i++) out.set(ids.data.subarray(i * l + p, (i + 1) * l), i * g);
  return { data: out, shape: [b, g] };
}

/** Cut at the first EOS, drop the specials, decode (ids as numbers when there is no tokenizer). */
function decodeRow(row: number[], t: Target): string {
  const { tokenizer } = t;
  const eos = row.indexOf(t.eosId ?? -1);
  const specials = new Set([t.eosId, t.padId, t.bosId, t.maskId, ...t.specialIds].filter((i) => i !== undefined));
  const kept = (eos < 0 ? row : row.slice(0, eos)).filter((id) => !specials.has(id));
  if (!tokenizer) return kept.join(' ');
  return tokenizer.decode(
    kept.filter((id) => id < tokenizer.vocabSize),
    { specials: 'skip' },
  );
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
    checkGenerateFlags(o, t.flags, t.who);
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
    // Pad with the pad id (else EOS, BOS, 0): never with the mask id, which LLaDA would generate over.
    const padId = [t.padId, t.eosId, t.bosId, 0, 1].find((i) => i !== undefined && i !== t.maskId)!;
    const { prompt, attention } = leftPad(rows, padId);
    const t0 = performance.now();
    const r = t.run({ prompt, attention, knobs, rng: t.rng });
    const seconds = (performance.now() - t0) / 1000;
    const G = knobs.genLength;
    const ids = Array.from({ length: r.ids.shape[0]! }, (_, b) => Array.from(r.ids.data.subarray(b * G, (b + 1) * G)));
    return { ids, text: ids.map((row) => decodeRow(row, t)), nfe: r.nfe, seconds, source: t.who };
  } finally {
    t.dispose();
  }
}
