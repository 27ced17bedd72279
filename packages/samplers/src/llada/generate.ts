// LLaDA's sampler: semi-autoregressive blocks of masked positions, filled over a fixed number
// of steps, committing the most confident proposals first, with optional Gumbel temperature
// and unsupervised CFG. ML-GSAI/LLaDA:generate.py:generate (commit b7e6c356).
//
//   x = [prompt, mask × genLength]; blocks = genLength / blockLength; steps per block = steps / blocks
//   per block:  k_s = getNumTransferTokens(block's masked positions, steps per block)
//   per step s: logits = model(x) (CFG: un + (cfg+1)(cond − un) from one call on 2B rows)
//               x0 = argmax(addGumbelNoise(logits, temperature))               // [B, L]
//               conf = remasking(logits, x0); conf = −∞ after the block and at unmasked positions
//               in each row commit x0 at the top-k_s[row] positions by conf
import { ConfigError, ShapeError, argmaxRows, brief, type Nd } from '@dlm/core';
import { assertLogitsSize, assertPositiveInt, assertTokenIds } from '../token-ids.ts';
import { cfgCombine, cfgModelInput } from './cfg.ts';
import type { LladaDraws } from './draws.ts';
import { addGumbelNoise } from './gumbel.ts';
import { remaskings } from './remasking/index.ts';
import { getNumTransferTokens } from './transfer-schedule.ts';
import type { LogitsArray, MaskPredictor } from './types.ts';

export interface GenerateOptions {
  /** Total denoising steps over all blocks (a multiple of the number of blocks). */
  steps: number;
  genLength: number;
  /** Semi-AR block size; genLength must be a multiple of it. */
  blockLength: number;
  /** 0 = greedy argmax (no draws); > 0 = Gumbel-max sampling at that temperature. */
  temperature?: number;
  /** Unsupervised CFG scale; 0 disables (one model pass on B rows). */
  cfgScale?: number;
  /** 'low_confidence' (default) or 'random'. */
  remasking?: string;
  maskId: number;
  vocabSize: number;
  /** 0/1 attention mask over the prompt [B, P]; extended with ones over the generated part. */
  attentionMask?: Nd<Int32Array>;
  /** Required when temperature > 0 or remasking = 'random'. */
  draws?: LladaDraws;
  /** Called after every step with what happened (for tests, tracing and visualisation). */
  onStep?: (record: GenerateStepRecord) => void;
}

export interface GenerateStepRecord {
  /** Global step index (across blocks) and the block it belongs to. */
  step: number;
  block: number;
  xBefore: Nd<Int32Array>;
  /** What the model received ([2B, L] with CFG). */
  modelInput: Nd<Int32Array>;
  /** The model's logits before CFG, [rows, L, V]. */
  modelLogits: LogitsArray;
  xAfter: Nd<Int32Array>;
  /** [B, L] 1 where a token was committed at this step. */
  newlyUnmasked: Nd<Uint8Array>;
}

export interface GenerateResult {
  x: Nd<Int32Array>;
  /** Number of model forward calls (a CFG step is one call on 2B rows). */
  nfe: number;
}

function validate(prompt: Nd<Int32Array>, o: GenerateOptions): { numBlocks: number; stepsPerBlock: number } {
  const op = 'llada.generate';
  if (prompt.shape.length !== 2)
    throw new ShapeError({ op, arg: 'prompt', expected: 'a [B, P] array', got: `shape [${prompt.shape}]` });
  assertPositiveInt(op, 'vocabSize', o.vocabSize);
  assertPositiveInt(op, 'steps', o.steps);
  assertPositiveInt(op, 'genLength', o.genLength);
  assertPositiveInt(op, 'blockLength', o.blockLength);
  if (!(Number.isInteger(o.maskId) && o.maskId >= 0 && o.maskId < o.vocabSize)) {
    throw new ConfigError({
      op,
      arg: 'maskId',
      expected: `an id in [0, ${o.vocabSize}) (LLaDA's mask token is in the vocabulary)`,
      got: brief(o.maskId),
    });
  }
  assertTokenIds(op, 'prompt', prompt.data, o.vocabSize);
  if (o.genLength % o.blockLength !== 0) {
    throw new ConfigError({
      op,
      arg: 'blockLength',
      expected: `a divisor of genLength ${o.genLength}`,
      got: brief(o.blockLength),
    });
  }
  const numBlocks = o.genLength / o.blockLength;
  if (o.steps % numBlocks !== 0) {
    throw new ConfigError({
      op,
      arg: 'steps',
      expected: `a multiple of the number of blocks ${numBlocks}`,
      got: brief(o.steps),
    });
  }
  const t = o.temperature ?? 0;
  if (!(Number.isFinite(t) && t >= 0))
    throw new ConfigError({ op, arg: 'temperature', expected: 'a finite number >= 0', got: brief(t) });
  const cfg = o.cfgScale ?? 0;
  if (!(Number.isFinite(cfg) && cfg >= 0))
    throw new ConfigError({ op, arg: 'cfgScale', expected: 'a finite number >= 0', got: brief(cfg) });
  if (o.attentionMask) {
    const [b, p] = prompt.shape as [number, number];
    if (o.attentionMask.shape.join(',') !== `${b},${p}`) {
      throw new ShapeError({
        op,
        arg: 'attentionMask',
        expected: `shape [${b}, ${p}] like the prompt`,
        got: `[${o.attentionMask.shape}]`,
      });
    }
  }
  const rm = o.remasking ?? 'low_confidence';
  if (!remaskings.has(rm)) {
    const expected = `one of ${remaskings.names().join(', ')}`;
    throw new ConfigError({ op, arg: 'remasking', expected, got: brief(rm) });
  }
  if (t > 0 && !o.draws) throw new ConfigError({ op, arg: 'draws', expected: 'a draw provider when temperature > 0' });
  return { numBlocks, stepsPerBlock: o.steps / numBlocks };
}

/** Top-k indices of `conf[start, start+n)` by value (ties: lower index first). */
function topK(conf: Float64Array, start: number, n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, j) => j);
  idx.sort((a, b) => {
    const d = conf[start + b]! - conf[start + a]!;
    return d > 0 ? 1 : d < 0 ? -1 : a - b; // NaN-free: −∞ − −∞ is NaN, compared as a tie
  });
  return idx.slice(0, k);
}

/**
 * Always terminates after exactly `steps` model calls: every block runs steps / numBlocks steps, whatever
 * the model predicts (a predicted mask id stays in x, as in the reference, which then returns it).
 * @param prompt [B, P] int32; left-padded rows need `attentionMask` (0 on the padding), as the reference
 */
export function generate(model: MaskPredictor, prompt: Nd<Int32Array>, opts: GenerateOptions): GenerateResult {
  const op = 'llada.generate';
  const { numBlocks, stepsPerBlock } = validate(prompt, opts);
  const remasking = remaskings.get(opts.remasking ?? 'low_confidence');
  const { maskId, vocabSize: V, genLength, blockLength } = opts;
  const temperature = opts.temperature ?? 0;
  const cfgScale = opts.cfgScale ?? 0;
  const [B, P] = prompt.shape as [number, number];
  const L = P + genLength;

  const x = new Int32Array(B * L).fill(maskId);
  for (let r = 0; r < B; r++) x.set(prompt.data.subarray(r * P, (r + 1) * P), r * L);
  // Prompt positions = whatever was not a mask at the start (the reference's x != mask_id).
  const promptIndex = new Uint8Array(B * L);
  for (let i = 0; i < B * L; i++) promptIndex[i] = x[i] !== maskId ? 1 : 0;

  let attention: Nd<Int32Array> | undefined;
  if (opts.attentionMask) {
    const a = new Int32Array(B * L).fill(1);
    for (let r = 0; r < B; r++) a.set(opts.attentionMask.data.subarray(r * P, (r + 1) * P), r * L);
    attention = { data: a, shape: [B, L] };
    if (cfgScale > 0) {
      const a2 = new Int32Array(2 * B * L);
      a2.set(a, 0);
      a2.set(a, B * L);
      attention = { data: a2, shape: [2 * B, L] };
    }
  }

  let nfe = 0;
  let k = 0;
  for (let blk = 0; blk < numBlocks; blk++) {
    const bStart = P + blk * blockLength;
    const bEnd = bStart + blockLength;
    const blockMask = new Uint8Array(B * blockLength);
    for (let r = 0; r < B; r++)
      for (let j = 0; j < blockLength; j++) blockMask[r * blockLength + j] = x[r * L + bStart + j] === maskId ? 1 : 0;
    const transfer = getNumTransferTokens({ data: blockMask, shape: [B, blockLength] }, stepsPerBlock);

    for (let s = 0; s < stepsPerBlock; s++, k++) {
      const xBefore = Int32Array.from(x);
      const modelInput: Nd<Int32Array> =
        cfgScale > 0
          ? cfgModelInput({ data: xBefore, shape: [B, L] }, promptIndex, maskId)
          : { data: Int32Array.from(x), shape: [B, L] };
      const rows = modelInput.shape[0]!;
      const modelLogits = attention ? model(modelInput, attention) : model(modelInput);
      nfe++;
      assertLogitsSize(op, modelLogits, rows, L, V);
      const logits = cfgScale > 0 ? cfgCombine(modelLogits, cfgScale) : Float64Array.from(modelLogits);

      const noisy = addGumbelNoise(
        logits,
        temperature,
        temperature > 0 ? opts.draws!.gumbelUniforms(k, B * L * V) : undefined,
      );
      const x0 = argmaxRows(noisy, V);
      const conf = remasking.confidence({ logits, x0, rows: B, length: L, vocabSize: V, step: k, draws: opts.draws });
      if (conf.length !== B * L)
        throw new ShapeError({
          op,
          arg: `${remasking.name} confidence`,
          expected: `${B * L} values`,
          got: `${conf.length}`,
        });
      for (let r = 0; r < B; r++) {
        for (let j = 0; j < L; j++) {
          const i = r * L + j;
          if (j >= bEnd || x[i] !== maskId) conf[i] = -Infinity;
        }
      }
      const newly = new Uint8Array(B * L);
      for (let r = 0; r < B; r++) {
        for (const j of topK(conf, r * L, L, transfer.data[r * stepsPerBlock + s]!)) {
          const i = r * L + j;
          // The reference writes x0 only where x was masked (x0 = where(mask, x0, x)).
          if (x[i] === maskId) x[i] = x0[i]!;
        }
      }
      for (let i = 0; i < B * L; i++) newly[i] = xBefore[i] === maskId && x[i] !== maskId ? 1 : 0;
      opts.onStep?.({
        step: k,
        block: blk,
        xBefore: { data: xBefore, shape: [B, L] },
        modelInput,
        modelLogits,
        xAfter: { data: Int32Array.from(x), shape: [B, L] },
        newlyUnmasked: { data: newly, shape: [B, L] },
      });
    }
  }
  return { x: { data: x, shape: [B, L] }, nfe };
}
