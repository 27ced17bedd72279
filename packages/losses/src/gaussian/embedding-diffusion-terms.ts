// The training objective shared by Diffusion-LM (e2e, E2E_MSE) and DiffuSeq (seq2seq), on tfjs so
// gradients reach both the denoiser and the learned embedding:
//   x_start_mean = E[w]                                  [B, L, D]
//   x_start      = x_start_mean + std·ε₀, std = sqrt(1 − ᾱ_0)
//   x_t          = q_sample(x_start, t, ε)  (DiffuSeq: x_t = x_start where input_mask == 0)
//   x̂₀           = model(x_t, t·1000/T)     (x0 parameterisation, predict_xstart)
//   mse          = mean_{L,D} (x_start − x̂₀)², replaced where t == 0 by
//   t0_loss      = mean_{L,D} (x_start_mean − x̂₀)²
//   With per-position t [B, L] (AR-Diffusion) the replacement is per position and the average is unchanged:
//   mse          = mean_{L,D} [t_{b,l} == 0 ? (x_start_mean − x̂₀)² : (x_start − x̂₀)²]; for t constant along a row
//                  this is bit for bit the per-row value (the selection is exact, the reduction the same).
//   tT_loss      = mean_{L,D} (sqrt(ᾱ_{T−1})·x_start)²   (‖μ_T‖²: the prior term)
//   decoder_nll  = mean_L CE(get_logits(x_start), w)      (rounding term)
//   loss         = mse + decoder_nll + tT_loss             [B]
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py:training_losses_e2e;
// Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:training_losses_seq2seq; microsoft/ProphetNet
// AR-diffusion/model_utils/gaussian_diffusion.py:training_losses_s2s @7f91e55 (t [bs, seq_len]: t0_mask per token;
// its trainer then averages the [bs, seq_len] loss over both axes, as mean_{L,D} does here).
import { ShapeError, tf, type Nd, type Rng } from '@dlm/core';
import {
  embeddingLogits,
  qSampleTf,
  checkPositionMask,
  checkVocabIds,
  type EmbeddingLogitsMode,
  type GaussianEmbeddingProcess,
  type PositionMask,
} from '@dlm/processes';
import { tokenCrossEntropy } from './token-cross-entropy.ts';

/** The tied output head: logits = get_logits(h) with the word embedding [V, D]. */
export interface EmbeddingHead {
  /** Word embedding [V, D] (a tf.Variable when it is trained). */
  embedding: tf.Tensor;
  /** lm_head bias [V] (mode 1 only). */
  bias?: tf.Tensor;
  /** 1 = h·Eᵀ + bias (default), 2 = −distance. */
  logitsMode?: EmbeddingLogitsMode;
}

/** The denoiser: x_t [B, L, D] and the model timesteps [B] or [B, L] (per position) → predicted x_0 [B, L, D]. */
export type EmbeddingDenoiser = (xT: tf.Tensor, modelT: tf.Tensor1D | tf.Tensor2D) => tf.Tensor;

export interface EmbeddingDiffusionBatch {
  /** Token ids [B, L]. */
  inputIds: Nd<Int32Array>;
  /** Integer timesteps in [0, T): [B], or [B, L] row-major (one per position: AR-Diffusion). */
  t: ArrayLike<number>;
  /** ε₀ [B, L, D] for x_start; drawn from `rng` when absent. */
  xStartNoise?: tf.Tensor;
  /** ε [B, L, D] for x_t; drawn from `rng` when absent. */
  noise?: tf.Tensor;
  /** Source of any noise not given (float64 standard normals, stored as float32). */
  rng?: Rng;
}

export interface EmbeddingDiffusionTerms {
  loss: tf.Tensor; // [B]
  mse: tf.Tensor; // [B] (after the t == 0 replacement)
  t0Loss: tf.Tensor; // [B]
  tTLoss: tf.Tensor; // [B]
  decoderNll: tf.Tensor; // [B]
  xStartMean: tf.Tensor; // [B, L, D]
  xStart: tf.Tensor; // [B, L, D]
  xT: tf.Tensor; // [B, L, D]
  modelOutput: tf.Tensor; // [B, L, D]
  /** sqrt(1 − ᾱ_0) as used (float32-rounded unless the process keeps float64). */
  std: number;
  /** What the model was called with: t·1000/T (float32). [B] or [B, L], as t */
  modelT: Float64Array;
}

/** Standard normal noise of `shape` from `rng` (float64 Box–Muller, stored as float32). */
export function normalTensor(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return tf.tensor(data, shape);
}

function noiseOr(
  op: string,
  arg: string,
  given: tf.Tensor | undefined,
  rng: Rng | undefined,
  shape: number[],
): tf.Tensor {
  if (given) {
    if (given.shape.length !== shape.length || given.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError({
        op,
        arg,
        expected: `shape [${shape.join(',')}] (input_ids × embedding width)`,
        got: `[${given.shape.join(',')}]`,
      });
    }
    return given;
  }
  if (!rng) throw new ShapeError({ op, arg, expected: `a tensor of shape [${shape.join(',')}] or an rng to draw it` });
  return normalTensor(rng, shape);
}

/**
 * Computes every term above. With `inputMask` (DiffuSeq), x_t keeps x_start at source positions
 * (mask 0); mse is still averaged over ALL positions, as in the reference.
 * The returned tensors are owned by the caller (dispose them, or call inside tf.tidy / tf.grads).
 */
export function embeddingDiffusionTerms(
  process: GaussianEmbeddingProcess,
  head: EmbeddingHead,
  batch: EmbeddingDiffusionBatch,
  model: EmbeddingDenoiser,
  inputMask?: PositionMask,
  op = 'embeddingDiffusionTerms',
): EmbeddingDiffusionTerms {
  const { inputIds, t } = batch;
  if (inputIds.shape.length !== 2)
    throw new ShapeError({ op, arg: 'input_ids', expected: 'shape [B, L]', got: `[${inputIds.shape.join(',')}]` });
  const [B, L] = inputIds.shape as [number, number];
  if (head.embedding.rank !== 2)
    throw new ShapeError({
      op,
      arg: 'embedding',
      expected: 'shape [V, D]',
      got: `[${head.embedding.shape.join(',')}]`,
    });
  const [V, D] = head.embedding.shape as [number, number];
  process.checkTimesteps(t, B, op, L);
  const perPosition = t.length !== B;
  if (inputMask) checkPositionMask(op, inputMask, [B, L, D]);
  const ce = (logitsOf: tf.Tensor): tf.Tensor =>
    tokenCrossEntropy(
      embeddingLogits(logitsOf, head.embedding, {
        mode: head.logitsMode ?? 1,
        ...(head.bias ? { bias: head.bias } : {}),
      }),
      inputIds,
      op,
    );
  // Validate ids before gather: tfjs gather does not fail on an out-of-range index.
  checkVocabIds(op, 'input_ids', inputIds.data, V);

  const std = process.coef('sqrtOneMinusAlphasCumprod', [0], op)[0]!;
  const sqrtAcLast = process.coef('sqrtAlphasCumprod', [process.numTimesteps - 1], op)[0]!;
  const modelT = process.modelTimesteps(t, op);
  const shape = [B, L, D];
  const eps0 = noiseOr(op, 'x_start_noise', batch.xStartNoise, batch.rng, shape);
  const eps = noiseOr(op, 'noise', batch.noise, batch.rng, shape);

  const out = tf.tidy(() => {
    const xStartMean = tf.reshape(tf.gather(head.embedding, tf.tensor(inputIds.data, [B * L], 'int32')), shape);
    const xStart = tf.add(xStartMean, tf.mul(std, eps0));
    const xT = qSampleTf(process, xStart, t, eps, inputMask);
    const modelOutput = model(
      xT,
      perPosition ? tf.tensor2d(Float32Array.from(modelT), [B, L]) : tf.tensor1d(Float32Array.from(modelT)),
    );
    if (modelOutput.shape.join(',') !== shape.join(',')) {
      throw new ShapeError({
        op,
        arg: 'model output',
        expected: `shape [${shape.join(',')}]`,
        got: `[${modelOutput.shape.join(',')}]`,
      });
    }
    const meanFlat = (x: tf.Tensor): tf.Tensor => tf.mean(x, [1, 2]);
    const sqStart = tf.square(tf.sub(xStart, modelOutput)); // [B, L, D]
    const sqMean = tf.square(tf.sub(xStartMean, modelOutput)); // [B, L, D]
    const t0Loss = meanFlat(sqMean);
    // [t == 0] per row [B, 1, 1] or per position [B, L, 1]; the t == 0 entries take t0_loss's squares.
    const isT0 = tf.tensor3d(
      Float32Array.from(t, (s) => (s === 0 ? 1 : 0)),
      perPosition ? [B, L, 1] : [B, 1, 1],
    );
    const mse = meanFlat(tf.add(tf.mul(isT0, sqMean), tf.mul(tf.sub(1, isT0), sqStart)));
    const tTLoss = meanFlat(tf.square(tf.mul(sqrtAcLast, xStart)));
    const decoderNll = tf.mean(ce(xStart), 1);
    const loss = tf.add(tf.add(mse, decoderNll), tTLoss);
    return { loss, mse, t0Loss, tTLoss, decoderNll, xStartMean, xStart, xT, modelOutput };
  });
  if (!batch.xStartNoise) eps0.dispose();
  if (!batch.noise) eps.dispose();
  return { ...out, std, modelT };
}
