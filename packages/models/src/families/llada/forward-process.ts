// LLaDA's forward process for likelihood evaluation, with stratified mask counts
// (ML-GSAI/LLaDA:get_log_likelihood.py:forward_process). For a batch of b copies of one
// sequence whose first P positions are the prompt and target_len = l − P:
//   k ~ U{1..target_len};  n = round(linspace(k, k + (b−1)·(target_len/b), b))  (round half to even)
//   n ← ((n − 1) mod target_len) + 1                       // counts spread evenly over 1..target_len
//   row i masks exactly n_i target positions, chosen by a random permutation perm_i:
//   target position j is masked iff perm_i[j] < n_i;   p_mask_i = n_i / target_len
// Stratifying the counts across the batch lowers the variance of the Monte Carlo estimate.
import { ConfigError, ShapeError, brief, torchLinspace, type Nd, type Rng } from '@dlm/core';

/** The draws one forward_process call makes: one k and b permutations. */
export interface LladaLikelihoodDraws {
  /** k uniform in {1, …, targetLen} (torch.randint(1, target_len + 1)). Call `iteration` of the estimate. */
  randintK(iteration: number, targetLen: number): number;
  /** A permutation of 0..targetLen−1 for row `row` of iteration `iteration` (torch.randperm). */
  randperm(iteration: number, row: number, targetLen: number): ArrayLike<number>;
}

export function rngLikelihoodDraws(rng: Rng): LladaLikelihoodDraws {
  const kr = rng.split('k');
  const pr = rng.split('perm');
  return { randintK: (_i, n) => kr.int(1, n + 1), randperm: (_i, _r, n) => pr.permutation(n) };
}

/** Replays `randint_k_per_iteration[j]` and `randperms[j·batchSize + row]` (the reference's call order). */
export function replayLikelihoodDraws(
  kPerIteration: ArrayLike<number>,
  randperms: ArrayLike<number>[],
  batchSize: number,
): LladaLikelihoodDraws {
  const op = 'replayLikelihoodDraws';
  return {
    randintK(i) {
      const k = kPerIteration[i];
      if (k === undefined)
        throw new ConfigError({
          op,
          arg: 'randint_k_per_iteration',
          expected: `a value for iteration ${i}`,
          got: `${kPerIteration.length} stored`,
        });
      return k;
    },
    randperm(i, row, n) {
      const p = randperms[i * batchSize + row];
      if (!p)
        throw new ConfigError({
          op,
          arg: 'randperms',
          expected: `a permutation for iteration ${i} row ${row}`,
          got: `${randperms.length} stored`,
        });
      if (p.length !== n)
        throw new ShapeError({
          op,
          arg: `randperms[${i * batchSize + row}]`,
          expected: `length ${n}`,
          got: `${p.length}`,
        });
      return p;
    },
  };
}

/** Round half to even (torch.round / numpy.round). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** Stratified mask counts n_i in 1..targetLen for b rows, given k. */
export function stratifiedMaskCounts(k: number, b: number, targetLen: number): Int32Array {
  const lin = torchLinspace(k, k + (b - 1) * (targetLen / b), b);
  const n = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    const r = roundHalfEven(lin[i]!);
    n[i] = ((((r - 1) % targetLen) + targetLen) % targetLen) + 1;
  }
  return n;
}

export interface ForwardProcessResult {
  /** [b, l]: the batch with masked positions set to maskId. */
  noisy: Nd<Int32Array>;
  /** [b, l] 1 where masked (never a prompt position). */
  masked: Nd<Uint8Array>;
  /** [b, l] n_i / targetLen, repeated along the row. */
  pMask: Nd<Float64Array>;
}

/**
 * @param batch        [b, l] token ids (usually b copies of [prompt, answer])
 * @param promptLength number of leading prompt positions, never masked
 */
export function lladaForwardProcess(
  batch: Nd<Int32Array>,
  promptLength: number,
  maskId: number,
  draws: LladaLikelihoodDraws,
  iteration = 0,
): ForwardProcessResult {
  const op = 'lladaForwardProcess';
  if (batch.shape.length !== 2)
    throw new ShapeError({ op, arg: 'batch', expected: 'a [b, l] array', got: `shape [${batch.shape}]` });
  const [b, l] = batch.shape as [number, number];
  const targetLen = l - promptLength;
  if (!(Number.isInteger(promptLength) && promptLength >= 0 && targetLen >= 1)) {
    throw new ConfigError({
      op,
      arg: 'promptLength',
      expected: `an integer in [0, ${l - 1}] (at least one target position)`,
      got: brief(promptLength),
    });
  }
  const k = draws.randintK(iteration, targetLen);
  if (!(Number.isInteger(k) && k >= 1 && k <= targetLen))
    throw new ConfigError({ op, arg: 'k', expected: `an integer in [1, ${targetLen}]`, got: brief(k) });
  const n = stratifiedMaskCounts(k, b, targetLen);
  const noisy = Int32Array.from(batch.data);
  const masked = new Uint8Array(b * l);
  const pMask = new Float64Array(b * l);
  for (let i = 0; i < b; i++) {
    const perm = draws.randperm(iteration, i, targetLen);
    for (let j = 0; j < targetLen; j++) {
      if (perm[j]! < n[i]!) {
        const p = i * l + promptLength + j;
        masked[p] = 1;
        noisy[p] = maskId;
      }
    }
    pMask.fill(n[i]! / targetLen, i * l, (i + 1) * l);
  }
  return {
    noisy: { data: noisy, shape: [b, l] },
    masked: { data: masked, shape: [b, l] },
    pMask: { data: pMask, shape: [b, l] },
  };
}
