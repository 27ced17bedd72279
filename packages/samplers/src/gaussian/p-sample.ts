// One ancestral step of the Gaussian embedding diffusion, host float64:
//   out    = p_mean_variance(x_t, t)  (pred_x0 optionally rounded to the nearest embedding and/or
//            clamped to [−1, 1]; FIXED_LARGE or FIXED_SMALL variance)
//   sample = mean + [t ≠ 0]·exp(½·log_variance)·ε        (t per row [B] or per position [B, L])
//   sample = x_start where mask == 0     (DiffuSeq: source positions stay anchored)
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/gaussian_diffusion.py:p_sample;
// Shark-NLP/DiffuSeq diffuseq/gaussian_diffusion.py:p_sample (mask, x_start).
import { ShapeError, assertSameShape, type Nd } from '@dlm/core';
import {
  anchorMasked,
  pMeanVariance,
  roundToEmbedding,
  checkEmbeddingWidth,
  type GaussianEmbeddingProcess,
  type GaussianParameterization,
  type GaussianVarianceType,
  type PositionMask,
} from '@dlm/processes';

export interface GaussianAnchor {
  /** [B, L]: 0 = source position (replaced by x_start after every step), 1 = generated. */
  mask: PositionMask;
  /** [B, L, D]: the clean source embeddings E[input_ids]. */
  xStart: Nd;
}

export interface GaussianPSampleInput {
  x: Nd; // x_t [B, L, D]
  t: ArrayLike<number>; // [B], or [B, L] (one per position: the [t ≠ 0] noise mask is then per position)
  modelOutput: Nd; // [B, L, D]
  /** ε [B, L, D] (standard normal; truncated when top_p sampling). */
  noise: Nd;
  varianceType?: GaussianVarianceType;
  parameterization?: GaussianParameterization;
  clipDenoised?: boolean;
  /** Round pred_x0 to the nearest row of this embedding [V, D] (denoised_fn_round). */
  roundTo?: Nd;
  anchor?: GaussianAnchor;
}

export interface GaussianPSampleOutput {
  sample: Nd;
  predXstart: Nd;
  /** The posterior mean (the sample without noise). */
  greedyMean: Nd;
  variance: Nd;
  logVariance: Nd;
}

export function gaussianPSample(process: GaussianEmbeddingProcess, input: GaussianPSampleInput): GaussianPSampleOutput {
  const op = 'gaussian.pSample';
  const { x, t, noise, roundTo, anchor } = input;
  assertSameShape(op, 'x', x.shape, 'noise', noise.shape);
  if (roundTo) checkEmbeddingWidth(op, roundTo, input.modelOutput.shape, 'modelOutput');
  const out = pMeanVariance(process, {
    x,
    t,
    modelOutput: input.modelOutput,
    ...(input.varianceType ? { varianceType: input.varianceType } : {}),
    ...(input.parameterization ? { parameterization: input.parameterization } : {}),
    clipDenoised: input.clipDenoised ?? false,
    ...(roundTo ? { denoise: (p: Nd) => roundToEmbedding(p, roundTo).embeddings } : {}),
  });
  // In the reference, log_variance is the float32 tensor _extract_into_tensor returned, so
  // exp(0.5·log_variance) is evaluated in float32 before meeting the float64 noise; with float32
  // coefficients we round the standard deviation the same way.
  const f32 = process.coefDtype === 'float32';
  const n = x.data.length / t.length;
  const sample = new Float64Array(x.data.length);
  for (let i = 0; i < sample.length; i++) {
    const nonzero = t[Math.floor(i / n)] !== 0 ? 1 : 0;
    const sd = Math.exp(0.5 * out.logVariance.data[i]!);
    sample[i] = out.mean.data[i]! + nonzero * (f32 ? Math.fround(sd) : sd) * noise.data[i]!;
  }
  let s: Nd = { data: sample, shape: [...x.shape] };
  if (anchor) {
    if (anchor.xStart.shape.join(',') !== x.shape.join(',')) {
      throw new ShapeError({
        op,
        arg: 'anchor.xStart',
        expected: `shape [${x.shape.join(',')}]`,
        got: `[${anchor.xStart.shape.join(',')}]`,
      });
    }
    s = anchorMasked(op, anchor.mask, s, anchor.xStart);
  }
  return {
    sample: s,
    predXstart: out.predXstart,
    greedyMean: out.mean,
    variance: out.variance,
    logVariance: out.logVariance,
  };
}
