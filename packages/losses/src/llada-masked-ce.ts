// LLaDA's masked cross-entropy (ML-GSAI/LLaDA:GUIDELINES.md, pre-training and SFT blocks):
//   p_mask = (1 − eps)·t + eps per row, t ~ U[0,1);  masked = u < p_mask (never a prompt position)
//   token_loss = CE(logits, x0) / p_mask at masked positions (0 elsewhere)          [B, L]
//   pre-training: Σ token_loss / (b·l)             = 'token' over all positions
//   SFT:          Σ_b Σ_l token_loss / answer_len_b / b = 'sequence' over the answer positions
// The same estimator as MDLM's NELBO with the linear α(t) = 1 − t (weight 1/t); only the ε
// placement and the normalisation differ (see normalization.ts).
import { ConfigError, brief, tf, type Nd, type Rng } from '@dlm/core';
import { normalizeLoss, type LossNormalization } from './normalization.ts';
import { maskTokens } from './time-sampling.ts';
import { assertSize, assertTokenIds } from './token-ids.ts';

export interface LladaNoisedBatch {
  noisy: Nd<Int32Array>;
  /** [B, L] 1 where masked. */
  masked: Nd<Uint8Array>;
  /** [B] masking probability per row. */
  pMask: Float64Array;
  /** [B, L] 1 where the position is scored (answer positions for SFT; all for pre-training). */
  maskable: Uint8Array;
}

export interface LladaTrainForwardOptions {
  maskId: number;
  eps?: number;
  /** SFT, [B]: the first promptLengths[b] positions of row b are prompt (never masked, not scored). */
  promptLengths?: ArrayLike<number>;
  /**
   * SFT, [B, L] 0/1: 1 at prompt positions (never masked, not scored), e.g. @dlm/data pairBatch's
   * promptMask. Every row needs at least one answer position. Not together with promptLengths.
   */
  promptMask?: ArrayLike<number>;
}

/**
 * LLaDA's training forward process from explicit uniforms `uniformT` [B] and `uniformMask` [B, L].
 * With `promptLengths` [B] or `promptMask` [B, L] (SFT) prompt positions are never masked, and the
 * SFT loss divides each row by its answer length (every other position, EOS padding included).
 */
export function lladaTrainForward(
  inputIds: Nd<Int32Array>,
  uniformT: ArrayLike<number>,
  uniformMask: ArrayLike<number>,
  opts: LladaTrainForwardOptions,
): LladaNoisedBatch {
  const op = 'lladaTrainForward';
  const [b, l] = inputIds.shape as [number, number];
  const eps = opts.eps ?? 1e-3;
  if (!(Number.isFinite(eps) && eps >= 0 && eps < 1))
    throw new ConfigError({ op, arg: 'eps', expected: 'a number in [0, 1)', got: brief(eps) });
  assertSize(op, 'uniformT', uniformT, [b]);
  const pMask = Float64Array.from(uniformT as ArrayLike<number>, (u) => (1 - eps) * u + eps);
  const maskable = new Uint8Array(b * l).fill(1);
  if (opts.promptLengths) {
    assertSize(op, 'promptLengths', opts.promptLengths, [b]);
    for (let r = 0; r < b; r++) {
      const p = opts.promptLengths[r]!;
      if (!(Number.isInteger(p) && p >= 0 && p < l))
        throw new ConfigError({ op, arg: `promptLengths[${r}]`, expected: `an integer in [0, ${l})`, got: brief(p) });
      maskable.fill(0, r * l, r * l + p);
    }
  }
  if (opts.promptMask) {
    if (opts.promptLengths) {
      throw new ConfigError({ op, arg: 'promptMask', expected: 'either promptLengths or promptMask, not both' });
    }
    assertSize(op, 'promptMask', opts.promptMask, [b, l]);
    for (let r = 0; r < b; r++) {
      let answer = 0;
      for (let j = 0; j < l; j++) {
        const m = opts.promptMask[r * l + j]!;
        if (m !== 0 && m !== 1) {
          throw new ConfigError({ op, arg: `promptMask[${r}, ${j}]`, expected: '0 or 1', got: brief(m) });
        }
        maskable[r * l + j] = 1 - m;
        answer += 1 - m;
      }
      if (answer === 0) {
        const expected = 'at least one answer (0) position';
        throw new ConfigError({ op, arg: `promptMask[${r}]`, expected, got: 'a row of prompt only' });
      }
    }
  }
  const { xt, masked } = maskTokens(inputIds, pMask, uniformMask, opts.maskId, maskable);
  return { noisy: xt, masked, pMask, maskable };
}

/** lladaTrainForward with its uniforms drawn from `rng` (child streams 't' and 'mask'), for training. */
export function lladaTrainForwardFromRng(
  inputIds: Nd<Int32Array>,
  rng: Rng,
  opts: LladaTrainForwardOptions,
): LladaNoisedBatch {
  const [b, l] = inputIds.shape as [number, number];
  return lladaTrainForward(inputIds, rng.split('t').uniforms(b), rng.split('mask').uniforms(b * l), opts);
}

/**
 * LLaDA pre-training's random-length step: with probability `prob` (1% in LLaDA) the batch is cut
 * to its first `randomLength` positions. `gateUniform` decides, `randomLength` ∈ [1, L] is the cut.
 */
export function randomLengthTruncate(
  inputIds: Nd<Int32Array>,
  gateUniform: number,
  randomLength: number,
  prob = 0.01,
): Nd<Int32Array> {
  if (!(gateUniform < prob)) return inputIds;
  const [b, l] = inputIds.shape as [number, number];
  if (!(Number.isInteger(randomLength) && randomLength >= 1 && randomLength <= l)) {
    throw new ConfigError({
      op: 'randomLengthTruncate',
      arg: 'randomLength',
      expected: `an integer in [1, ${l}]`,
      got: brief(randomLength),
    });
  }
  const out = new Int32Array(b * randomLength);
  for (let r = 0; r < b; r++) out.set(inputIds.data.subarray(r * l, r * l + randomLength), r * randomLength);
  return { data: out, shape: [b, randomLength] };
}

export interface MaskedCeOutputs {
  loss: tf.Scalar;
  /** [B, L] CE/p_mask at masked positions, 0 elsewhere. */
  perToken: tf.Tensor2D;
}

/**
 * @param logits  [B, L, V] model logits on the noisy batch (float32 tfjs; differentiable)
 * @param targets [B, L] clean tokens
 */
export function lladaMaskedCE(
  logits: tf.Tensor3D,
  targets: Nd<Int32Array>,
  noised: Pick<LladaNoisedBatch, 'masked' | 'pMask' | 'maskable'>,
  normalization: LossNormalization,
): MaskedCeOutputs {
  const op = 'lladaMaskedCE';
  const [b, l, v] = logits.shape;
  assertSize(op, 'targets', targets.data, [b, l]);
  assertTokenIds(op, 'targets', targets.data, v);
  assertSize(op, 'masked', noised.masked.data, [b, l]);
  assertSize(op, 'pMask', noised.pMask, [b]);
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits) as tf.Tensor3D;
    const ce = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(targets.data, [b, l], 'int32'), v)), 2)); // [B, L]
    const invP = tf.tensor2d(
      Float32Array.from(noised.pMask, (p) => 1 / p),
      [b, 1],
    );
    const m = tf.tensor2d(Float32Array.from(noised.masked.data), [b, l]);
    const perToken = tf.mul(tf.mul(ce, invP), m) as tf.Tensor2D;
    const loss = normalizeLoss(perToken, normalization, noised.maskable);
    return { loss, perToken };
  });
}

/** Pre-training loss: Σ CE/p_mask over masked tokens / (b·l). */
export function lladaPretrainingLoss(
  logits: tf.Tensor3D,
  targets: Nd<Int32Array>,
  noised: LladaNoisedBatch,
): MaskedCeOutputs {
  return lladaMaskedCE(logits, targets, noised, 'token');
}

/** SFT loss: per sequence Σ CE/p_mask / answer length, averaged over the batch (noised with promptLengths). */
export function lladaSftLoss(logits: tf.Tensor3D, targets: Nd<Int32Array>, noised: LladaNoisedBatch): MaskedCeOutputs {
  return lladaMaskedCE(logits, targets, noised, 'sequence');
}
