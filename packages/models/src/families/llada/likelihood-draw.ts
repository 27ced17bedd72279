// One Monte-Carlo draw per sequence of LLaDA's likelihood bound, on the host in float64
// (ML-GSAI/LLaDA:get_log_likelihood.py:forward_process + get_log_likelihood with batch_size 1:
// the stratified counts of one row reduce to the drawn k). For row b with T target positions
// (answer positions: not prompt, not padding):
//   k ~ U{1..T};  mask exactly k of the T targets (a uniform random subset, by a permutation)
//   nats_b = Σ_{masked} CE(logits, x0) · T / k        (E_k nats_b ≥ −log p(targets | rest))
// Draw order as @dlm/eval rngLikelihoodDraws: k from rng.split('k'), permutations from
// rng.split('perm'), row by row, so a single row equals mcConditionalLogLikelihood with mcNum 1.
import { logsumexp, type Nd, type Rng } from '@dlm/core';
import type { NllDraw, TokenBatch } from '../../family.ts';

export interface LikelihoodNoise {
  /** [B, L] ids with the drawn positions set to the mask. */
  noisy: Nd<Int32Array>;
  /** [B, L] 1 where masked. */
  masked: Uint8Array;
  /** [B] T_b / k_b (0 for a row without targets). */
  weight: Float64Array;
  /** [B] T_b: the scored positions per row. */
  tokens: Float64Array;
}

/** Positions scored by the bound: real (attention 1) and not prompt. */
function isTarget(batch: TokenBatch, i: number): boolean {
  return (batch.attention ? batch.attention.data[i] === 1 : true) && !(batch.promptMask?.data[i] === 1);
}

export function likelihoodNoise(batch: TokenBatch, rng: Rng, maskId: number): LikelihoodNoise {
  const [b, l] = batch.ids.shape as [number, number];
  const kr = rng.split('k');
  const pr = rng.split('perm');
  const noisy = Int32Array.from(batch.ids.data);
  const masked = new Uint8Array(b * l);
  const weight = new Float64Array(b);
  const tokens = new Float64Array(b);
  for (let r = 0; r < b; r++) {
    const targets: number[] = [];
    for (let j = 0; j < l; j++) if (isTarget(batch, r * l + j)) targets.push(r * l + j);
    const T = targets.length;
    tokens[r] = T;
    if (T === 0) continue;
    const k = kr.int(1, T + 1);
    const perm = pr.permutation(T);
    targets.forEach((p, j) => {
      if (perm[j]! < k) {
        masked[p] = 1;
        noisy[p] = maskId;
      }
    });
    weight[r] = T / k;
  }
  return { noisy: { data: noisy, shape: [b, l] }, masked, weight, tokens };
}

/** The draw's nats per row from the model's logits [B, L, V] on `noise.noisy`. */
export function likelihoodNats(
  logits: ArrayLike<number>,
  x0: Nd<Int32Array>,
  noise: LikelihoodNoise,
  v: number,
): NllDraw {
  const [b, l] = x0.shape as [number, number];
  const nats = new Float64Array(b);
  for (let p = 0; p < b * l; p++) {
    if (!noise.masked[p]) continue;
    const o = p * v;
    const r = Math.floor(p / l);
    nats[r]! += (logsumexp(logits, o, o + v) - logits[o + x0.data[p]!]!) * noise.weight[r]!;
  }
  return { nats, tokens: noise.tokens };
}
