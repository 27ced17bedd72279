// Checkers shared by diffusion_lm.json and diffuseq.json (Gaussian embedding diffusion).
// Every size (B, L, D, V, T) and the schedule name come from the case. Tolerances per family:
//   host float64 (schedule coefficients rounded to float32 as the reference's _extract_into_tensor,
//     the rest float64): q_sample, q_mean_variance, q_posterior_mean_variance, p_mean_variance,
//     rounding, p_sample → the file's tolerance (1e-12); rounded_tokens exact.
//   tfjs float32 (differentiable training path): get_logits, compute_logp, training_losses → FLOAT32_TOL.
// `outputs` (reference behaviour with float32 coefficients) is compared, never `outputs_f64`.
import { f64, i32, tf, type Nd, type NestedNumbers } from '@dlm/core';
import {
  GaussianEmbeddingProcess,
  anchorMasked,
  embedTokens,
  embeddingLogits,
  isotropicGaussianLogits,
  pMeanVariance,
  roundToEmbedding,
  type GaussianVarianceType,
} from '@dlm/processes';
import { diffuseqSeq2seqLoss, diffusionLmE2eLoss, tokenCrossEntropy, type EmbeddingDiffusionTerms } from '@dlm/losses';
import { gaussianPSample } from '@dlm/samplers';
import { FLOAT32_TOL, expectClose, expectExact, type Checker, type FixtureCase, type Tolerance } from '../harness.ts';

type Produced = Record<string, { got: unknown; tol: Tolerance | 'exact' }>;

/** Asserts every output of the case; an output the checker did not produce is a failure. */
function expectAll(c: FixtureCase, produced: Produced): void {
  for (const [key, expected] of Object.entries(c.outputs)) {
    const p = produced[key];
    if (!p)
      throw new Error(
        `${c.name}: output "${key}" is not checked by the Gaussian checker (produced: ${Object.keys(produced).join(', ')})`,
      );
    if (p.tol === 'exact') expectExact(`${c.name}.${key}`, p.got, expected);
    else expectClose(`${c.name}.${key}`, p.got, expected, p.tol);
  }
}

const nd = (v: unknown): Nd => f64(v as NestedNumbers);
const ids = (v: unknown): Nd<Int32Array> => i32(v as NestedNumbers);
const ints = (v: unknown): Int32Array => i32(v as NestedNumbers).data;
const tensor = (v: unknown): tf.Tensor => {
  const a = nd(v);
  return tf.tensor(Float32Array.from(a.data), [...a.shape]);
};

/**
 * The process as the reference scripts build it: named schedule, SpacedDiffusion over every step, float32 coefficients.
 */
export function processOf(c: FixtureCase): GaussianEmbeddingProcess {
  return GaussianEmbeddingProcess.named(String(c.inputs.schedule), Number(c.inputs.num_timesteps), {
    coefDtype: 'float32',
    rescaleTimesteps: true,
  });
}

function varianceTypeOf(c: FixtureCase): GaussianVarianceType {
  const v = c.inputs.model_var_type;
  if (v === undefined || v === null) return 'fixed_large'; // both references' default configuration
  const s = String(v).toLowerCase();
  if (s !== 'fixed_large' && s !== 'fixed_small') throw new Error(`${c.name}: unsupported model_var_type ${String(v)}`);
  return s;
}

function broadcastScalar(v: number, shape: readonly number[]): Float64Array {
  return new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(v);
}

export const checkQSample: Checker = (c, file) => {
  const p = processOf(c);
  const mask = c.inputs.mask === undefined || c.inputs.mask === null ? undefined : ids(c.inputs.mask);
  const xt = p.qSample(nd(c.inputs.x_start), ints(c.inputs.t), nd(c.inputs.noise), mask);
  expectAll(c, { x_t: { got: xt.data, tol: file.tolerance } });
};

export const checkQMeanVariance: Checker = (c, file) => {
  const r = processOf(c).qMeanVariance(nd(c.inputs.x_start), ints(c.inputs.t));
  expectAll(c, {
    mean: { got: r.mean.data, tol: file.tolerance },
    variance: { got: r.variance.data, tol: file.tolerance },
    log_variance: { got: r.logVariance.data, tol: file.tolerance },
  });
};

export const checkQPosterior: Checker = (c, file) => {
  const r = processOf(c).qPosteriorMeanVariance(nd(c.inputs.x_start), nd(c.inputs.x_t), ints(c.inputs.t));
  expectAll(c, {
    posterior_mean: { got: r.mean.data, tol: file.tolerance },
    posterior_variance: { got: r.variance.data, tol: file.tolerance },
    posterior_log_variance_clipped: { got: r.logVarianceClipped.data, tol: file.tolerance },
  });
};

export const checkPMeanVariance: Checker = (c, file) => {
  const p = processOf(c);
  const t = ints(c.inputs.t);
  const E = c.inputs.embedding === undefined ? undefined : nd(c.inputs.embedding);
  const r = pMeanVariance(p, {
    x: nd(c.inputs.x),
    t,
    modelOutput: nd(c.inputs.model_output),
    varianceType: varianceTypeOf(c),
    clipDenoised: Boolean(c.inputs.clip_denoised),
    ...(E ? { denoise: (x: Nd) => roundToEmbedding(x, E).embeddings } : {}),
  });
  expectAll(c, {
    mean: { got: r.mean.data, tol: file.tolerance },
    variance: { got: r.variance.data, tol: file.tolerance },
    log_variance: { got: r.logVariance.data, tol: file.tolerance },
    pred_xstart: { got: r.predXstart.data, tol: file.tolerance },
    model_called_with_t: { got: p.modelTimesteps(t), tol: file.tolerance },
  });
};

export const checkRounding: Checker = (c, file) => {
  const r = roundToEmbedding(nd(c.inputs.x), nd(c.inputs.embedding));
  expectAll(c, {
    rounded_embeddings: { got: r.embeddings.data, tol: file.tolerance },
    rounded_tokens: { got: r.tokens.data, tol: 'exact' },
  });
};

/** get_logits (mode from the case), tfjs float32 → FLOAT32_TOL. */
export const checkGetLogits: Checker = (c) => {
  tf.tidy(() => {
    const mode = Number(c.inputs.logits_mode);
    if (mode !== 1 && mode !== 2) throw new Error(`${c.name}: unsupported logits_mode ${String(c.inputs.logits_mode)}`);
    const bias =
      c.inputs.lm_head_bias === null || c.inputs.lm_head_bias === undefined ? undefined : tensor(c.inputs.lm_head_bias);
    const logits = embeddingLogits(tensor(c.inputs.hidden_repr), tensor(c.inputs.embedding), {
      mode,
      ...(bias ? { bias } : {}),
    });
    expectAll(c, { logits: { got: logits.dataSync(), tol: FLOAT32_TOL } });
  });
};

/** compute_logp: CE of the isotropic-Gaussian logits, tfjs float32 → FLOAT32_TOL. */
export const checkComputeLogp: Checker = (c) => {
  tf.tidy(() => {
    const logits = isotropicGaussianLogits(tensor(c.inputs.x), tensor(c.inputs.embedding));
    const loss = tokenCrossEntropy(logits, ids(c.inputs.input_ids), 'compute_logp');
    expectAll(c, { loss: { got: loss.dataSync(), tol: FLOAT32_TOL } });
  });
};

/**
 * training_losses_e2e / training_losses_seq2seq (seq2seq when the case has input_mask), tfjs
 * float32 → FLOAT32_TOL, except model_called_with_t (host float32 arithmetic: the file's tolerance).
 * The model is a replay of `model_output`.
 */
export const checkTrainingLosses: Checker = (c, file) => {
  tf.tidy(() => {
    const p = processOf(c);
    const inputIds = ids(c.inputs.input_ids);
    const bias =
      c.inputs.lm_head_bias === null || c.inputs.lm_head_bias === undefined ? undefined : tensor(c.inputs.lm_head_bias);
    const head = { embedding: tensor(c.inputs.embedding), ...(bias ? { bias } : {}), logitsMode: 1 as const };
    const batch = {
      inputIds,
      t: ints(c.inputs.t),
      xStartNoise: tensor(c.inputs.x_start_noise),
      noise: tensor(c.inputs.noise),
    };
    const replay = (): tf.Tensor => tensor(c.inputs.model_output);
    const seq2seq = c.inputs.input_mask !== undefined && c.inputs.input_mask !== null;
    const terms: EmbeddingDiffusionTerms & { nll?: tf.Tensor } = seq2seq
      ? diffuseqSeq2seqLoss(p, head, { ...batch, inputMask: ids(c.inputs.input_mask) }, replay)
      : diffusionLmE2eLoss(p, head, batch, replay);
    const f32 = (x: tf.Tensor): { got: unknown; tol: Tolerance } => ({ got: x.dataSync(), tol: FLOAT32_TOL });
    const produced: Produced = {
      loss: f32(terms.loss),
      mse: f32(terms.mse),
      tT_loss: f32(terms.tTLoss),
      decoder_nll: f32(terms.decoderNll),
      t0_loss: f32(terms.t0Loss),
      x_start_mean: f32(terms.xStartMean),
      std: { got: broadcastScalar(terms.std, terms.xStart.shape), tol: FLOAT32_TOL },
      x_start: f32(terms.xStart),
      x_t: f32(terms.xT),
      model_called_with_t: { got: terms.modelT, tol: file.tolerance },
    };
    if (terms.nll) produced.nll = f32(terms.nll);
    expectAll(c, produced);
  });
};

/**
 * DiffuSeq p_sample with the source anchored: x_start = E[input_ids] and the initial
 * x = where(input_mask == 0, x_start, init_noise) are recomputed and checked against the case's
 * inputs, then one step is taken. Host float64 → the file's tolerance.
 */
export const checkPSampleAnchored: Checker = (c, file) => {
  const p = processOf(c);
  const E = nd(c.inputs.embedding);
  const mask = ids(c.inputs.input_mask);
  const xStart = embedTokens(ids(c.inputs.input_ids), E, 'p_sample');
  expectClose(`${c.name}: inputs.x_start = E[input_ids]`, xStart.data, c.inputs.x_start, file.tolerance);
  const x = anchorMasked('p_sample', mask, nd(c.inputs.init_noise), xStart);
  expectClose(`${c.name}: inputs.x = where(mask == 0, x_start, init_noise)`, x.data, c.inputs.x, file.tolerance);
  const fn = c.inputs.denoised_fn;
  if (fn !== null && fn !== undefined && fn !== 'denoised_fn_round')
    throw new Error(`${c.name}: unsupported denoised_fn ${String(fn)}`);
  const r = gaussianPSample(p, {
    x,
    t: ints(c.inputs.t),
    modelOutput: nd(c.inputs.model_output),
    noise: nd(c.inputs.noise),
    varianceType: varianceTypeOf(c),
    clipDenoised: Boolean(c.inputs.clip_denoised),
    ...(fn === 'denoised_fn_round' ? { roundTo: E } : {}),
    anchor: { mask, xStart },
  });
  expectAll(c, {
    sample: { got: r.sample.data, tol: file.tolerance },
    pred_xstart: { got: r.predXstart.data, tol: file.tolerance },
    greedy_mean: { got: r.greedyMean.data, tol: file.tolerance },
    variance: { got: r.variance.data, tol: file.tolerance },
    log_variance: { got: r.logVariance.data, tol: file.tolerance },
  });
};

/** Routing shared by both files: by case-name prefix. */
export function routeGaussian(c: FixtureCase): Checker | undefined {
  const n = c.name;
  if (n.startsWith('q_sample')) return checkQSample;
  if (n.startsWith('q_mean_variance')) return checkQMeanVariance;
  if (n.startsWith('q_posterior')) return checkQPosterior;
  if (n.startsWith('p_mean_variance')) return checkPMeanVariance;
  if (n.startsWith('p_sample')) return checkPSampleAnchored;
  if (n.startsWith('rounding')) return checkRounding;
  if (n.startsWith('get_logits')) return checkGetLogits;
  if (n.startsWith('compute_logp')) return checkComputeLogp;
  if (n.startsWith('training_losses')) return checkTrainingLosses;
  return undefined;
}
