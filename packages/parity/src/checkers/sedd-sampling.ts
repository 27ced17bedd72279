// Checkers for sedd_sampling.json (louaaron/Score-Entropy-Discrete-Diffusion sampling.py, catsample.py).
// Everything runs in host float64 (@dlm/samplers sedd): probs, σ, dσ, σ(t − dt) at the file's tolerance;
// sampled tokens and what the replayed model saw (model_inputs_x) exactly, model_inputs_sigma at the
// file's tolerance. The model is a replay (call k returns model_log_score[_per_call][k]) that records
// its inputs. Graph, noise, B, L, D, t, dt, steps and eps come from each case's inputs.
import { f64, i32, type NestedNumbers, type Nd } from '@dlm/core';
import { sedd } from '@dlm/samplers';
import { expectClose, expectExact, flatNested, type Checker, type Dispatcher, type FixtureCase } from '../harness.ts';
import { graphOf, noiseOf } from './sedd-graph.ts';

const nested = (v: unknown) => v as NestedNumbers;
const flat = (v: unknown) => f64(nested(v)).data;

/** A replay model over `perCall` log scores that records (x, σ) per call. */
function replay(perCall: readonly unknown[]) {
  const seen: { x: Int32Array; sigma: Float64Array }[] = [];
  const model: sedd.SeddScoreModel = (x: Nd<Int32Array>, sigma: Float64Array) => {
    const k = seen.length;
    seen.push({ x: Int32Array.from(x.data), sigma: Float64Array.from(sigma) });
    if (k >= perCall.length) throw new Error(`replay model: call ${k} but the fixture stores ${perCall.length}`);
    return flat(perCall[k]);
  };
  return { model, seen };
}

function context(c: FixtureCase, perCall: readonly unknown[]) {
  const { model, seen } = replay(perCall);
  return { ctx: { graph: graphOf(c), noise: noiseOf(c), model }, seen };
}

const step: Checker = (c, f) => {
  const inp = c.inputs;
  const out = c.outputs;
  const { ctx, seen } = context(c, [inp.model_log_score]);
  const x = i32(nested(inp.x));
  const t = flat(inp.t); // [B, 1] → [B]
  const u = flat(inp.gumbel_uniforms);
  const fn = String(c.source?.function ?? '');
  const r = fn.startsWith('Denoiser')
    ? sedd.seddDenoiserStep(ctx, x, t, u)
    : sedd.seddPredictors.get(fn.startsWith('Euler') ? 'euler' : 'analytic')(ctx, x, t, Number(inp.step_size), u);
  expectClose('probs', r.probs.data, out.probs, f.tolerance);
  expectExact('x_next', r.xNext.data, out.x_next);
  expectClose('sigma', r.sigma, out.sigma, f.tolerance);
  // `dsigma` is the reference's noise(t)[1] = dσ̄/dt at t in every step case (the fixture README says the
  // analytic case stores Δ = σ(t) − σ(t − dt) there; the numbers are the rate). Δ itself is σ − next_sigma.
  if (out.dsigma !== undefined) expectClose('dsigma (rate at t)', r.rate!, out.dsigma, f.tolerance);
  if (out.next_sigma !== undefined) {
    expectClose('next_sigma', r.nextSigma!, out.next_sigma, f.tolerance);
    const sigma = flatNested(out.sigma),
      next = flatNested(out.next_sigma);
    expectClose(
      'delta = sigma − next_sigma',
      r.delta!,
      sigma.map((s, k) => s - next[k]!),
      f.tolerance,
    );
  }
  if (seen.length !== 1 || r.nfe !== 1) throw new Error(`step: ${seen.length} model calls, nfe ${r.nfe}`);
  expectExact('model saw x', seen[0]!.x, x.data);
  expectClose('model saw sigma', seen[0]!.sigma, out.sigma, f.tolerance);
};

const pcSampler: Checker = (c, f) => {
  const inp = c.inputs;
  const out = c.outputs;
  const perCall = inp.model_log_score_per_call as unknown[];
  const uniforms = inp.gumbel_uniforms_per_call as unknown[];
  const { ctx, seen } = context(c, perCall);
  const [b, l] = inp.batch_dims as [number, number];
  const r = sedd.seddPcSample(
    ctx,
    {
      batch: [b, l],
      predictor: String(inp.predictor),
      steps: Number(inp.steps),
      denoise: Boolean(inp.denoise),
      eps: Number(inp.eps),
    },
    {
      ...(inp.sample_limit_randint ? { limit: flat(inp.sample_limit_randint) } : {}),
      uniforms: (k) => {
        if (k >= uniforms.length)
          throw new Error(`pc sampler asked for uniforms of call ${k}; the fixture stores ${uniforms.length}`);
        return flatNested(uniforms[k]);
      },
    },
  );
  const modelX = out.model_inputs_x as unknown[];
  const modelSigma = out.model_inputs_sigma as unknown[];
  const probs = out.probs_per_call as unknown[];
  if (seen.length !== modelX.length || r.nfe !== modelX.length)
    throw new Error(`pc sampler: ${seen.length} model calls (nfe ${r.nfe}), the reference made ${modelX.length}`);
  for (let k = 0; k < seen.length; k++) {
    expectExact(`model_inputs_x[${k}]`, seen[k]!.x, modelX[k]);
    expectExact(`calls[${k}].x`, r.calls[k]!.x.data, modelX[k]);
    expectClose(`model_inputs_sigma[${k}]`, seen[k]!.sigma, modelSigma[k], f.tolerance);
    expectClose(`probs_per_call[${k}]`, r.calls[k]!.probs.data, probs[k], f.tolerance);
  }
  expectExact('final', r.x.data, out.final);
};

export const seddSampling: Dispatcher = {
  file: 'sedd_sampling.json',
  route(c) {
    const fn = String(c.source?.function ?? '');
    if (fn.startsWith('get_pc_sampler') || c.inputs.model_log_score_per_call !== undefined) return pcSampler;
    if (/^(EulerPredictor|AnalyticPredictor|Denoiser)\.update_fn/.test(fn)) return step;
    return undefined;
  },
};
