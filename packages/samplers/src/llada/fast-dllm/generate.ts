// Fast-dLLM's generation for LLaDA: semi-autoregressive blocks, each decoded until no position is masked, with
// an optional KV cache (prefix or dual) and parallel commits (confidence threshold or factor).
// NVlabs/Fast-dLLM llada/generate.py generate, generate_with_prefix_cache, generate_with_dual_cache @24cc59e7 and
// @f6b35ec3 (fixtures/checkpoints/README.md §7.4–7.7).
//
//   x = [prompt, mask × genLength]; blocks of blockLength; schedule per block = getNumTransferTokens(block masks,
//   steps / blocks) (used by the fixed rule only)
//   per block [s, e):
//     call 0: the mode's first call on all of x (prefix/dual: fills the cache)
//     later calls (cache mode, loop order: cache-loops.ts) until the block holds no mask
//     after each call, per row: candidates = masked positions in [from, e) of the call's logits;
//       x0, conf = proposal() (float64 softmax); sort by conf; commit the top k = rule(sorted, call index)
import { ConfigError, ShapeError, brief, type Nd } from '@dlm/core';
import { assertLogitsSize, assertPositiveInt, assertTokenIds } from '../../token-ids.ts';
import type { LladaDraws } from '../draws.ts';
import { addGumbelNoise } from '../gumbel.ts';
import { getNumTransferTokens } from '../transfer-schedule.ts';
import type { BlockCall } from './cache-mode.ts';
import { cacheModes } from './cache-modes.ts';
import { DEFAULT_CACHE_LOOP, cacheLoops } from './cache-loops.ts';
import { proposal } from './confidence.ts';
import type { LladaKvModel } from './kv-model.ts';
import { transferCount } from './transfer-rules.ts';

export interface FastDllmOptions {
  /** Total steps over all blocks (a multiple of the number of blocks); sets the fixed rule's schedule. */
  steps: number;
  genLength: number;
  blockLength: number;
  maskId: number;
  vocabSize: number;
  /** `none` (default), `prefix` or `dual` (cache-modes.ts). */
  cache?: string | undefined;
  /** Commit every candidate whose confidence is ≥ τ (at least one per call); τ in (0, 1]. */
  threshold?: number | undefined;
  /** Commit by f6b35ec3's factor rule (f > 0); excludes `threshold`. */
  factor?: number | undefined;
  /** Later-call order of a cached mode: `check-first` (f6b35ec3, default) or `call-first` (24cc59e7). */
  loop?: string | undefined;
  /** 0 = argmax (default); > 0 = LLaDA's Gumbel race at that temperature (needs `draws`). */
  temperature?: number | undefined;
  draws?: LladaDraws | undefined;
  /** Called after every model call, with what went in (as the fixture's `calls` record it) and x after it. */
  onCall?: (record: FastDllmCallRecord) => void;
}

export interface FastDllmCallRecord {
  /** Call index over the whole generation, and the block. */
  call: number;
  block: number;
  inputIds: Nd<Int32Array>;
  pastLength: number;
  replaceRange?: [number, number];
  xAfter: Nd<Int32Array>;
}

export interface FastDllmResult {
  /** [B, P + genLength]: prompt and generation. */
  x: Nd<Int32Array>;
  /** Model calls. */
  nfe: number;
}

const OP = 'llada.fastDllmGenerate';

function validate(prompt: Nd<Int32Array>, o: FastDllmOptions): number {
  if (prompt.shape.length !== 2)
    throw new ShapeError({ op: OP, arg: 'prompt', expected: 'a [B, P] array', got: `shape [${prompt.shape}]` });
  assertPositiveInt(OP, 'vocabSize', o.vocabSize);
  assertPositiveInt(OP, 'steps', o.steps);
  assertPositiveInt(OP, 'genLength', o.genLength);
  assertPositiveInt(OP, 'blockLength', o.blockLength);
  if (!(Number.isInteger(o.maskId) && o.maskId >= 0 && o.maskId < o.vocabSize))
    throw new ConfigError({ op: OP, arg: 'maskId', expected: `an id in [0, ${o.vocabSize})`, got: brief(o.maskId) });
  if (o.vocabSize < 2)
    throw new ConfigError({ op: OP, arg: 'vocabSize', expected: 'at least 2 (an id besides the mask)', got: '1' });
  assertTokenIds(OP, 'prompt', prompt.data, o.vocabSize);
  if (o.genLength % o.blockLength !== 0)
    throw new ConfigError({
      op: OP,
      arg: 'blockLength',
      expected: `a divisor of genLength ${o.genLength}`,
      got: brief(o.blockLength),
    });
  const numBlocks = o.genLength / o.blockLength;
  if (o.steps % numBlocks !== 0)
    throw new ConfigError({
      op: OP,
      arg: 'steps',
      expected: `a multiple of the number of blocks ${numBlocks}`,
      got: brief(o.steps),
    });
  const t = o.temperature ?? 0;
  if (!(Number.isFinite(t) && t >= 0))
    throw new ConfigError({ op: OP, arg: 'temperature', expected: 'a finite number >= 0', got: brief(t) });
  if (t > 0 && !o.draws)
    throw new ConfigError({ op: OP, arg: 'draws', expected: 'a draw provider when temperature > 0' });
  return numBlocks;
}

/**
 * Always terminates: every call commits at least one non-mask id in a row that still has candidates (the rule's
 * count is ≥ 1 then, or the schedule runs out and everything is committed), and no proposal is the mask id
 * (confidence.ts), so each block ends after at most steps/blocks + its masked count calls.
 * @param prompt [B, P] int32 (no padding: Fast-dLLM's model ignores an attention mask)
 */
export function fastDllmGenerate(model: LladaKvModel, prompt: Nd<Int32Array>, opts: FastDllmOptions): FastDllmResult {
  const numBlocks = validate(prompt, opts);
  const mode = cacheModes.get(opts.cache ?? 'none');
  const loop = cacheLoops.get(opts.loop ?? DEFAULT_CACHE_LOOP);
  const count = transferCount(OP, opts);
  const { maskId, vocabSize: V, genLength, blockLength } = opts;
  const temperature = opts.temperature ?? 0;
  const stepsPerBlock = opts.steps / numBlocks;
  const [B, P] = prompt.shape as [number, number];
  const L = P + genLength;
  const x = new Int32Array(B * L).fill(maskId);
  for (let r = 0; r < B; r++) x.set(prompt.data.subarray(r * P, (r + 1) * P), r * L);
  const xs: Nd<Int32Array> = { data: x, shape: [B, L] };

  const session = mode.cached ? model.openSession() : undefined;
  let nfe = 0;
  try {
    for (let blk = 0; blk < numBlocks; blk++) {
      const start = P + blk * blockLength;
      const end = start + blockLength;
      const blockMask = new Uint8Array(B * blockLength);
      for (let r = 0; r < B; r++)
        for (let j = 0; j < blockLength; j++) blockMask[r * blockLength + j] = x[r * L + start + j] === maskId ? 1 : 0;
      const schedule = getNumTransferTokens({ data: blockMask, shape: [B, blockLength] }, stepsPerBlock).data;
      const ctx = { model, session, x: xs, start, end };
      let callInBlock = 0;

      const commit = (c: BlockCall) => {
        const n = c.input.shape[1]!;
        assertLogitsSize(OP, c.logits, B, n, V);
        const noisy =
          temperature > 0
            ? addGumbelNoise(c.logits, temperature, opts.draws!.gumbelUniforms(nfe, B * n * V))
            : c.logits;
        for (let r = 0; r < B; r++) {
          const cands: { pos: number; id: number; conf: number }[] = [];
          for (let pos = c.from; pos < end; pos++) {
            if (x[r * L + pos] !== maskId) continue;
            cands.push({ pos, ...proposal(c.logits, noisy, r * n + pos - c.from, V, maskId) });
          }
          cands.sort((a, b) => b.conf - a.conf || a.pos - b.pos);
          const rowSchedule = schedule.subarray(r * stepsPerBlock, (r + 1) * stepsPerBlock);
          const k = count(
            cands.map((q) => q.conf),
            callInBlock,
            rowSchedule,
          );
          for (let j = 0; j < k; j++) x[r * L + cands[j]!.pos] = cands[j]!.id;
        }
        opts.onCall?.({
          call: nfe,
          block: blk,
          inputIds: c.input,
          pastLength: c.pastLength,
          ...(c.replaceRange ? { replaceRange: c.replaceRange } : {}),
          xAfter: { data: Int32Array.from(x), shape: [B, L] },
        });
        nfe++;
        callInBlock++;
      };
      const blockMasked = () => {
        for (let r = 0; r < B; r++) for (let p = start; p < end; p++) if (x[r * L + p] === maskId) return true;
        return false;
      };

      commit(mode.first(ctx));
      if (mode.cached && loop.callFirst) {
        do commit(mode.next(ctx));
        while (blockMasked());
      } else {
        while (blockMasked()) commit(mode.next(ctx));
      }
    }
  } finally {
    session?.dispose();
  }
  return { x: xs, nfe };
}
