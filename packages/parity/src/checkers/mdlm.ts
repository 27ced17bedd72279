// Checkers for mdlm.json (kuleshov-group/mdlm diffusion.py, commit c112c526).
// Tolerances: the losses (SUBS log-probs, NELBO terms) run through tfjs float32 and are checked
// at FLOAT32_TOL (rtol 1e-4, atol 1e-5; values near −1e6 have float32 spacing 0.0625, inside the
// rtol term); host float64 quantities (t, σ, dσ, move chances, sampler q_xs / probs / p_x0) at
// the file's tolerance; token arrays exactly. Every size is read from the case.
import { f64, i32, tf, type NestedNumbers } from '@dlm/core';
import { mdlmDiscreteNelboLoss, mdlmForward, mdlmNelboLoss, nelboWeights, subsLogProbs } from '@dlm/losses';
import { mdlm as M } from '@dlm/samplers';
import { loglinear, type NoiseSchedule } from '@dlm/schedules';
import { FLOAT32_TOL, expectClose, expectExact, type Checker, type Dispatcher, type FixtureCase } from '../harness.ts';

const nested = (v: unknown) => v as NestedNumbers;

/**
 * The case's noise schedule: `config.noise` ("LogLinearNoise(eps=1e-3)") when given, else MDLM's
 * default log-linear schedule with eps = 1e-3 (the sampler cases carry no noise field).
 */
function noiseOf(c: FixtureCase): NoiseSchedule {
  const spec = String(c.inputs.config?.noise ?? 'LogLinearNoise(eps=1e-3)');
  const m = /^LogLinearNoise\(eps=([0-9.eE+-]+)\)$/.exec(spec);
  if (!m) throw new Error(`mdlm checker: unsupported noise ${spec}`);
  return loglinear({ eps: Number(m[1]) });
}

const logits3 = (v: unknown) => {
  const a = f64(nested(v));
  return { nd: a, tensor: () => tf.tensor3d(Float32Array.from(a.data), a.shape as [number, number, number]) };
};

const subs: Checker = (c) => {
  const { tensor } = logits3(c.inputs.logits);
  const got = tf.tidy(() =>
    subsLogProbs(tensor(), i32(nested(c.inputs.xt)), c.inputs.mask_index, c.inputs.neg_infinity).dataSync(),
  );
  expectClose('log_probs', got, c.outputs.log_probs, FLOAT32_TOL);
};

const nelbo: Checker = (c, f) => {
  const inp = c.inputs;
  const cfg = inp.config as {
    antithetic_sampling: boolean;
    sampling_eps: number;
    T: number;
    time_conditioning?: boolean;
  };
  const x0 = i32(nested(inp.x0));
  const attn = i32(nested(inp.attention_mask)).data;
  const nb = mdlmForward(x0, f64(nested(inp.uniform_t_draws)).data, f64(nested(inp.uniform_mask_draws)).data, {
    maskIndex: inp.mask_index,
    noise: noiseOf(c),
    antithetic: cfg.antithetic_sampling,
    eps: cfg.sampling_eps,
    T: cfg.T,
    timeConditioning: cfg.time_conditioning ?? false,
  });
  const out = c.outputs;
  expectClose('t', nb.t, out.t, f.tolerance);
  expectClose('sigma', nb.sigma, out.sigma, f.tolerance);
  if (out.dsigma) expectClose('dsigma', nb.dsigma, out.dsigma, f.tolerance);
  expectClose('move_chance', nb.moveChance, out.move_chance, f.tolerance);
  expectExact('xt', nb.xt.data, out.xt);
  if (out.backbone_called_with_sigma)
    expectClose('backbone_called_with_sigma', nb.conditioning, out.backbone_called_with_sigma, f.tolerance);
  const { tensor } = logits3(inp.backbone_logits);
  const continuous = !(cfg.T > 0);
  const weights = nelboWeights(nb.sigma, nb.dsigma);
  if (out.weight_dsigma_over_expm1_sigma)
    expectClose('weight_dsigma_over_expm1_sigma', weights, out.weight_dsigma_over_expm1_sigma, f.tolerance);
  const r = tf.tidy(() => {
    const lg = tensor();
    const res = continuous
      ? mdlmNelboLoss(lg, { x0, xt: nb.xt, attentionMask: attn }, weights, { maskIndex: inp.mask_index })
      : mdlmDiscreteNelboLoss(lg, { x0, xt: nb.xt, attentionMask: attn }, nb.t, {
          maskIndex: inp.mask_index,
          T: cfg.T,
        });
    return {
      lp: res.logProbs.dataSync(),
      lpt: res.logPTheta.dataSync(),
      per: res.perToken.dataSync(),
      loss: res.loss.dataSync()[0]!,
    };
  });
  expectClose('model_output_log_probs', r.lp, out.model_output_log_probs, FLOAT32_TOL);
  if (out.log_p_theta) expectClose('log_p_theta', r.lpt, out.log_p_theta, FLOAT32_TOL);
  expectClose('loss_per_token', r.per, out.loss_per_token, FLOAT32_TOL);
  expectClose('token_nll', r.loss, out.token_nll, FLOAT32_TOL);
};

/** A replay backbone: returns the stored logits, records the σ it was called with. */
function context(c: FixtureCase): { ctx: M.MdlmStepContext; calls: Float64Array[] } {
  const logits = c.inputs.backbone_logits ? f64(nested(c.inputs.backbone_logits)).data : undefined;
  const calls: Float64Array[] = [];
  const backbone: M.MdlmBackbone = (_x, sigma) => {
    calls.push(sigma);
    if (!logits) throw new Error('mdlm checker: the case has no backbone_logits but the update called the backbone');
    return logits;
  };
  return {
    ctx: { backbone, noise: noiseOf(c), vocabSize: c.inputs.vocab_size, maskIndex: c.inputs.mask_index },
    calls,
  };
}

const tOf = (c: FixtureCase) => f64(nested(c.inputs.t)).data; // [B, 1] → [B]
const uOf = (c: FixtureCase) => f64(nested(c.inputs.gumbel_uniforms)).data;

const ddpmCache: Checker = (c, f) => {
  const { ctx, calls } = context(c);
  const cache = c.inputs.p_x0 ? f64(nested(c.inputs.p_x0)).data : undefined;
  const r = M.ddpmCacheUpdate(ctx, i32(nested(c.inputs.x)), tOf(c), c.inputs.dt, uOf(c), cache);
  expectClose('p_x0', r.pX0, c.outputs.p_x0, f.tolerance);
  expectClose('q_xs', r.qXs, c.outputs.q_xs, f.tolerance);
  expectExact('x_next', r.xNext.data, c.outputs.x_next);
  if (r.nfe !== calls.length || r.nfe !== (cache ? 0 : 1))
    throw new Error(`ddpm_cache: nfe ${r.nfe} with ${calls.length} backbone calls`);
};

const ddpm: Checker = (c, f) => {
  const { ctx } = context(c);
  const r = M.ddpmUpdate(ctx, i32(nested(c.inputs.x)), tOf(c), c.inputs.dt, uOf(c));
  expectClose('q_xs', r.qXs, c.outputs.q_xs, f.tolerance);
  expectExact('x_next', r.xNext.data, c.outputs.x_next);
  expectClose('move_chance_t', r.moveChanceT, c.outputs.move_chance_t, f.tolerance);
  expectClose('move_chance_s', r.moveChanceS, c.outputs.move_chance_s, f.tolerance);
};

const analytic: Checker = (c, f) => {
  const { ctx } = context(c);
  const x = i32(nested(c.inputs.x));
  const r =
    c.inputs.step_size !== undefined
      ? M.analyticUpdate(ctx, x, tOf(c), c.inputs.step_size, uOf(c))
      : M.denoiserUpdate(ctx, x, tOf(c), uOf(c));
  expectClose('probs', r.probs, c.outputs.probs, f.tolerance);
  expectExact('x_next', r.xNext.data, c.outputs.x_next);
};

export const mdlm: Dispatcher = {
  file: 'mdlm.json',
  route(c) {
    const fn = String(c.source?.function ?? '');
    if (c.name.startsWith('subs_parameterization')) return subs;
    if (c.name.startsWith('nelbo_')) return nelbo;
    if (c.name.startsWith('ddpm_caching_update') || fn.includes('_ddpm_caching_update')) return ddpmCache;
    if (c.name.startsWith('ddpm_update')) return ddpm;
    if (c.name.startsWith('analytic_update') || c.name.startsWith('denoiser_update')) return analytic;
    return undefined;
  },
};
