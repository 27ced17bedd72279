// A checkpoint-folder layout: how to build a model from a published-style folder (config.json +
// model.safetensors) and generate from a prompt with it. `dlm generate <folder>` picks the layout
// from config.json (`model_type`, fixtures/checkpoints/README.md §1) and accepts only the flags
// that layout declares, so a knob the model family cannot use is an error, not silently ignored.
import { ConfigError, brief, type Nd, type Rng } from '@dlm/core';

/** Every knob flag of `dlm generate`; each layout (and family) accepts a subset. */
export const GENERATE_FLAGS = [
  'gen-length',
  'steps',
  'block-length',
  'temperature',
  'remasking',
  'cfg-scale',
  'top-k',
  'top-p',
  'cache',
  'threshold',
  'factor',
  'cache-loop',
] as const;
export type GenerateFlag = (typeof GENERATE_FLAGS)[number];

/**
 * The flags of a diffusion generate in LLaDA's style (ML-GSAI/LLaDA generate.py @b7e6c356), with Fast-dLLM's KV
 * cache and parallel decoding (NVlabs/Fast-dLLM llada/generate.py @24cc59e7 / @f6b35ec3).
 */
export const LLADA_GENERATE_FLAGS: readonly GenerateFlag[] = [
  'gen-length',
  'steps',
  'block-length',
  'temperature',
  'remasking',
  'cfg-scale',
  'cache',
  'threshold',
  'factor',
  'cache-loop',
];

/** The flags of left-to-right decoding (greedy / temperature / top-k / top-p). */
export const AR_GENERATE_FLAGS: readonly GenerateFlag[] = ['gen-length', 'temperature', 'top-k', 'top-p'];

/** Resolved knobs (defaults filled in: steps = block length = gen length, as LLaDA's generate). */
export interface GenerateKnobs {
  genLength: number;
  steps: number;
  blockLength: number;
  /** 0 = argmax (deterministic). */
  temperature: number;
  remasking: string;
  cfgScale: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  /** Fast-dLLM (LLaDA): `none`, `prefix` or `dual` KV cache; absent = LLaDA's own generate. */
  cache?: string | undefined;
  /** Fast-dLLM: commit every candidate with confidence ≥ τ (at least one per call). */
  threshold?: number | undefined;
  /** Fast-dLLM f6b35ec3: the factor rule of parallel commits. */
  factor?: number | undefined;
  /** Fast-dLLM: the order of a cached block's later calls (`check-first` f6b35ec3, `call-first` 24cc59e7). */
  cacheLoop?: string | undefined;
}

export interface CheckpointGenerateRequest extends GenerateKnobs {
  /** [B, P] prompt ids, left-padded. */
  prompt: Nd<Int32Array>;
  /** [B, P] 1 = prompt token, 0 = left padding (absent = all ones). */
  attention?: Nd<Int32Array> | undefined;
  rng: Rng;
}

/** A model loaded from a checkpoint folder. */
export interface OpenedCheckpoint {
  readonly layout: string;
  readonly vocabSize: number;
  /** Prompt + generated positions the model accepts (Infinity = no limit in the config). */
  readonly maxLength: number;
  readonly eosId?: number | undefined;
  readonly padId?: number | undefined;
  readonly bosId?: number | undefined;
  readonly maskId?: number | undefined;
  /** @returns ids [B, genLength]: the generated positions only (no prompt), and the model calls. */
  generate(req: CheckpointGenerateRequest): { ids: Nd<Int32Array>; nfe: number };
  dispose(): void;
}

/** What a layout knows from config.json alone, before any weight is read. */
export interface CheckpointHeader {
  readonly vocabSize: number;
  readonly maxLength: number;
  readonly eosId?: number | undefined;
  readonly padId?: number | undefined;
  readonly bosId?: number | undefined;
  readonly maskId?: number | undefined;
}

/**
 * A checkpoint folder as the slots of an experiment: the family (with its knobs), the backbone slot with
 * `init_from: <folder>` (the backbone reads config.json and the weights), the noise slot, and the token ids the
 * family needs. Every family command (eval, mc, likelihood, sample, gen-ppl) then opens a folder as it opens a run.
 */
export interface FolderExperiment {
  family: { readonly name: string } & Readonly<Record<string, unknown>>;
  model: { readonly name: string; readonly init_from: string } & Readonly<Record<string, unknown>>;
  noise: { readonly name: string } & Readonly<Record<string, unknown>>;
  vocab: {
    size: number;
    maskId?: number | undefined;
    bosId?: number | undefined;
    eosId?: number | undefined;
    padId?: number | undefined;
  };
  /** Sampling defaults the folder's config names (SEDD's `sampling.predictor` / `sampling.steps`). */
  sampling?: { predictor?: string | undefined; steps?: number | undefined } | undefined;
}

/** Prompt-conditioned generation of a layout (`dlm generate <folder>`). */
export interface LayoutGeneration {
  /** Knob flags of `dlm generate` this layout uses. */
  readonly flags: readonly GenerateFlag[];
  /** Checks the knobs against the layout's sampler (named ConfigErrors) before any weight is read. */
  checkKnobs(knobs: GenerateKnobs): void;
  /** Loads config.json + model.safetensors. */
  open(dir: string): OpenedCheckpoint;
}

export interface CheckpointLayout {
  /** The config.json `model_type` this layout reads ('sedd' for SEDD's hydra config, which has none). */
  readonly name: string;
  readonly describe: string;
  /**
   * Generation from a prompt as the reference does it (LLaDA's generate, GPT-2's decoding). Absent: the reference
   * has none (SEDD, MDLM sample unconditionally), and `dlm generate` names `dlm sample` instead.
   */
  readonly generation?: LayoutGeneration | undefined;
  /**
   * Tokenizer when the folder has no tokenizer.json (gpt2: GPT-2's BPE), or a rule on the config header (SEDD /
   * MDLM: GPT-2's BPE when the vocabulary is GPT-2's 50257 ids + MASK); absent or undefined = ids only.
   */
  readonly tokenizer?: 'gpt2' | ((header: CheckpointHeader) => 'gpt2' | undefined) | undefined;
  /** Reads config.json (throws ConfigError naming a bad or missing key) without loading weights. */
  header(config: Record<string, unknown>, file: string): CheckpointHeader;
  /** The folder as experiment slots (family, backbone with init_from, noise, ids); reads config.json only. */
  experiment(dir: string, config: Record<string, unknown>, file: string): FolderExperiment;
}

/**
 * LLaDA's block rules (README §7.2): gen_length a multiple of block_length, steps a multiple of the
 * number of blocks, and every count a positive integer; `remaskings` lists the valid strategies.
 */
export function checkBlockKnobs(op: string, k: GenerateKnobs, remaskings: readonly string[]): void {
  const posInt = (arg: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) {
      throw new ConfigError({ op, arg, expected: 'an integer ≥ 1', got: brief(v) });
    }
  };
  posInt('--gen-length', k.genLength);
  posInt('--block-length', k.blockLength);
  posInt('--steps', k.steps);
  if (k.genLength % k.blockLength !== 0) {
    throw new ConfigError({
      op,
      arg: '--block-length',
      expected: `a divisor of --gen-length ${k.genLength}`,
      got: brief(k.blockLength),
    });
  }
  const blocks = k.genLength / k.blockLength;
  if (k.steps % blocks !== 0) {
    throw new ConfigError({
      op,
      arg: '--steps',
      expected: `a multiple of the number of blocks (gen-length / block-length = ${blocks})`,
      got: brief(k.steps),
    });
  }
  if (!(Number.isFinite(k.temperature) && k.temperature >= 0)) {
    throw new ConfigError({ op, arg: '--temperature', expected: 'a finite number ≥ 0', got: brief(k.temperature) });
  }
  if (!(Number.isFinite(k.cfgScale) && k.cfgScale >= 0)) {
    throw new ConfigError({ op, arg: '--cfg-scale', expected: 'a finite number ≥ 0', got: brief(k.cfgScale) });
  }
  if (!remaskings.includes(k.remasking)) {
    const expected = `one of ${remaskings.join(', ')}`;
    throw new ConfigError({ op, arg: '--remasking', expected, got: brief(k.remasking) });
  }
}

/** GPT-2's vocabulary (50257 ids) with the MASK appended last: sedd-small (tokens 50257, absorb), mdlm-owt. */
export const GPT2_VOCAB_SIZE = 50257;
export function gpt2PlusMask(h: CheckpointHeader): 'gpt2' | undefined {
  return h.vocabSize === GPT2_VOCAB_SIZE + 1 && h.maskId === GPT2_VOCAB_SIZE ? 'gpt2' : undefined;
}
