// Checkers for sedd_graph.json (louaaron/Score-Entropy-Discrete-Diffusion graph_lib.py and losses.py).
// Tolerances:
// * graph primitives (@dlm/processes graphs, host float64): the file's tolerance; integer outputs
//   (absorbing rate / transp_rate, i_pert, perturbed_batch) exactly; absorbing `transition` must be null.
// * score_entropy: host float64 at the file's tolerance AND the tfjs training path (@dlm/losses
//   scoreEntropyTf) at FLOAT32_TOL (rtol 1e-4, atol 1e-5).
// * loss cases: t, σ, dσ and what the fake model was called with (host float64) at the file's
//   tolerance; the loss through the tfjs training path at FLOAT32_TOL and through the host float64
//   evaluation at the file's tolerance.
// Graph, sizes (B, L, D), σ values and noise come from each case's inputs.
import { f64, i32, tf, type NestedNumbers, type Nd } from '@dlm/core';
import { scoreEntropyTf, seddLossHost, seddTrainingLoss } from '@dlm/losses';
import { graphs, type Graph } from '@dlm/processes';
import type { NoiseSchedule } from '@dlm/schedules';
import { FLOAT32_TOL, expectClose, expectExact, type Checker, type Dispatcher, type FixtureCase } from '../harness.ts';
import { scheduleFromConstructor } from './schedules.ts';

const nested = (v: unknown) => v as NestedNumbers;
const flat = (v: unknown) => f64(nested(v)).data;
const ints = (v: unknown): Nd<Int32Array> => i32(nested(v));

/** The case's graph from `graph` and `dim` (and `mask_index` when given). */
export function graphOf(c: FixtureCase): Graph {
  const mask = c.inputs.mask_index;
  return graphs.get(String(c.inputs.graph))({
    dim: Number(c.inputs.dim),
    ...(typeof mask === 'number' ? { maskIndex: mask } : {}),
  });
}

export function noiseOf(c: FixtureCase): NoiseSchedule {
  return scheduleFromConstructor(c.inputs.noise as Record<string, unknown>);
}

const primitive: Checker = (c, f) => {
  const g = graphOf(c);
  const inp = c.inputs;
  const [key] = Object.keys(c.outputs) as [string];
  const expected = c.outputs[key];
  switch (key) {
    case 'rate':
      return expectClose('rate', g.rate(ints(inp.i)).data, expected, f.tolerance);
    case 'transp_rate':
      return expectClose('transp_rate', g.transpRate(ints(inp.i)).data, expected, f.tolerance);
    case 'transition': {
      const got = g.transition(ints(inp.i), flat(inp.sigma));
      if (expected === null) {
        if (got !== null)
          throw new Error(`transition: the reference leaves it undefined (null) for ${g.name}, got an array`);
        return;
      }
      if (got === null) throw new Error(`transition: ${g.name} returned null but the reference has values`);
      return expectClose('transition', got.data, expected, f.tolerance);
    }
    case 'transp_transition':
      return expectClose(
        'transp_transition',
        g.transpTransition(ints(inp.i), flat(inp.sigma)).data,
        expected,
        f.tolerance,
      );
    case 'i_pert': {
      const got = g.sampleTransition(ints(inp.i), flat(inp.sigma), {
        uniform: flat(inp.uniform_draws),
        ...(inp.randint_draws ? { randint: flat(inp.randint_draws) } : {}),
      });
      return expectExact('i_pert', got.data, expected);
    }
    case 'reverse_rate':
      return expectClose(
        'reverse_rate',
        g.reverseRate(ints(inp.i), f64(nested(inp.score))).data,
        expected,
        f.tolerance,
      );
    case 'staggered_score':
      return expectClose(
        'staggered_score',
        g.staggeredScore(f64(nested(inp.score)), flat(inp.dsigma)).data,
        expected,
        f.tolerance,
      );
    case 'score_entropy': {
      const score = f64(nested(inp.score));
      const x = ints(inp.x);
      const x0 = ints(inp.x0);
      const sigma = flat(inp.sigma);
      expectClose('score_entropy (host float64)', g.scoreEntropy(score, sigma, x, x0).data, expected, f.tolerance);
      const terms = g.scoreEntropyTerms(sigma, x, x0);
      const got = tf.tidy(() =>
        scoreEntropyTf(terms, tf.tensor(Float32Array.from(score.data), [...score.shape])).dataSync(),
      );
      return expectClose('score_entropy (tfjs float32)', got, expected, FLOAT32_TOL);
    }
    default:
      throw new Error(`sedd_graph checker: unknown output "${key}"`);
  }
};

const loss: Checker = (c, f) => {
  const g = graphOf(c);
  const inp = c.inputs;
  const out = c.outputs;
  const x0 = ints(inp.batch);
  const logScore = f64(nested(inp.model_log_score));
  const calls: { x: Int32Array; sigma: Float64Array }[] = [];
  const model = (xt: Nd<Int32Array>, sigma: Float64Array) => {
    calls.push({ x: Int32Array.from(xt.data), sigma: Float64Array.from(sigma) });
    return tf.tensor3d(Float32Array.from(logScore.data), logScore.shape as [number, number, number]);
  };
  const explicit = inp.t !== undefined;
  const r = seddTrainingLoss(
    model,
    explicit
      ? { x0, t: flat(inp.t), xt: ints(inp.perturbed_batch) }
      : {
          x0,
          uniformT: flat(inp.uniform_t_draw),
          move: {
            uniform: flat(inp.uniform_move_draws),
            ...(inp.randint_draws ? { randint: flat(inp.randint_draws) } : {}),
          },
        },
    { graph: g, noise: noiseOf(c), samplingEps: Number(inp.sampling_eps) },
  );
  const perSequence = r.perSequence.dataSync();
  r.perSequence.dispose();
  r.loss.dispose();
  if (calls.length !== 1) throw new Error(`loss: the model was called ${calls.length} times, expected once`);
  if (out.t !== undefined) expectClose('t', r.t, out.t, f.tolerance);
  expectClose('sigma', r.sigma, out.sigma, f.tolerance);
  if (out.dsigma !== undefined) expectClose('dsigma', r.dsigma, out.dsigma, f.tolerance);
  if (out.perturbed_batch !== undefined) expectExact('perturbed_batch', r.xt.data, out.perturbed_batch);
  if (out.model_called_with_sigma !== undefined)
    expectClose('model_called_with_sigma', calls[0]!.sigma, out.model_called_with_sigma, f.tolerance);
  expectExact('model called with x_t', calls[0]!.x, r.xt.data);
  expectClose('loss (tfjs float32)', perSequence, out.loss, FLOAT32_TOL);
  expectClose(
    'loss (host float64)',
    seddLossHost(g, logScore, { sigma: r.sigma, dsigma: r.dsigma, xt: r.xt, x0 }),
    out.loss,
    f.tolerance,
  );
};

export const seddGraph: Dispatcher = {
  file: 'sedd_graph.json',
  route(c) {
    const fn = String(c.source?.function ?? '');
    if (fn.startsWith('get_loss_fn') || c.inputs.model_log_score !== undefined) return loss;
    if (/^(Absorbing|Uniform|Graph)\./.test(fn) && Object.keys(c.outputs).length === 1) return primitive;
    return undefined;
  },
};
