// The uniform graph of SEDD (louaaron/Score-Entropy-Discrete-Diffusion:graph_lib.py:Uniform): every
// state jumps to every other at rate 1/D ("normalised down by dimension to avoid blowup"). No mask.
//   rate(i) = transp_rate(i) = 1/D everywhere, −(D−1)/D at i
//   transition(i, σ) = transp_transition = (1 − e^{−σ})/D off i, and 1 − Σ_{v≠i} of those at i
//   sample_transition = randint draw where u < 1 − e^{−σ} (may redraw i itself), else i
//   staggered_score(s, dσ) = ((e − 1)/(D·e))·Σ_v s_v + s/e  with e = e^{−dσ}
//   sample_limit = uniform ids (randint)
import { ConfigError, assertSameShape, brief, seddExpm1, sizeOf, type Nd, type Rng, type Rows } from '@dlm/core';
import { checkTokens, checkVectors, idsFrom, leadOf, moveWhere, reverseRateFrom, sigmaPerPosition } from './common.ts';
import { emptyTerms, evaluateScoreEntropy, type ScoreEntropyTerms } from './score-entropy.ts';
import type { Graph, TransitionDraws } from './types.ts';

export interface UniformParams {
  /** Number of states (the vocabulary). */
  dim: number;
}

export function uniformGraph(params: UniformParams): Graph {
  const { dim } = params;
  if (!(Number.isInteger(dim) && dim >= 2))
    throw new ConfigError({ op: 'uniformGraph', arg: 'dim', expected: 'an integer ≥ 2', got: brief(dim) });
  const D = dim;
  const vectors = (shape: readonly number[]) => ({ data: new Float64Array(sizeOf(shape) * D), shape: [...shape, D] });

  const rate = (op: string, i: Nd<Int32Array>): Nd<Float64Array> => {
    checkTokens(op, 'i', i, D);
    const out = vectors(i.shape);
    out.data.fill(1 / D);
    for (let p = 0; p < i.data.length; p++) out.data[p * D + i.data[p]!] = -(D - 1) / D;
    return out;
  };

  const transition = (op: string, i: Nd<Int32Array>, sigma: ArrayLike<number>): Nd<Float64Array> => {
    checkTokens(op, 'i', i, D);
    const sig = sigmaPerPosition(op, 'sigma', sigma, i.shape);
    const out = vectors(i.shape);
    for (let p = 0; p < i.data.length; p++) {
      const o = p * D;
      const off = (1 - Math.exp(-sig[p]!)) / D;
      let sum = 0;
      for (let v = 0; v < D; v++) {
        if (v === i.data[p]) continue;
        out.data[o + v] = off;
        sum += off;
      }
      out.data[o + i.data[p]!] = 1 - sum;
    }
    return out;
  };

  const graph: Graph = {
    name: 'uniform',
    dim: D,
    maskIndex: null,
    absorb: false,
    rate: (i) => rate('uniform.rate', i),
    transpRate: (i) => rate('uniform.transpRate', i),
    transition: (i, sigma) => transition('uniform.transition', i, sigma),
    transpTransition: (i, sigma) => transition('uniform.transpTransition', i, sigma),
    forwardDistribution: (i, sigma) => transition('uniform.forwardDistribution', i, sigma),
    sampleTransition(i, sigma, draws: TransitionDraws) {
      const op = 'uniform.sampleTransition';
      checkTokens(op, 'i', i, D);
      const to = idsFrom(op, 'draws.randint', draws.randint, i.data.length, D);
      return moveWhere(op, i, sigmaPerPosition(op, 'sigma', sigma, i.shape), draws.uniform, (p) => to[p]!);
    },
    sampleTransitionRng(i, sigma, rng: Rng) {
      const uniform = rng.uniforms(i.data.length);
      const randint = Int32Array.from({ length: i.data.length }, () => rng.int(0, D));
      return graph.sampleTransition(i, sigma, { uniform, randint });
    },
    reverseRate(i, score: Rows) {
      checkVectors('uniform.reverseRate', 'i', i.shape, 'score', score, D);
      return reverseRateFrom(graph.transpRate(i), i, score);
    },
    staggeredScore(score, dsigma) {
      const op = 'uniform.staggeredScore';
      const lead = leadOf(op, 'score', score, D);
      const ds = sigmaPerPosition(op, 'dsigma', dsigma, lead);
      const out = vectors(lead);
      for (let p = 0; p < ds.length; p++) {
        const o = p * D;
        const e = Math.exp(-ds[p]!);
        let sum = 0;
        for (let v = 0; v < D; v++) sum += score.data[o + v]!;
        const shift = ((e - 1) / (D * e)) * sum;
        for (let v = 0; v < D; v++) out.data[o + v] = shift + score.data[o + v]! / e;
      }
      return out;
    },
    sampleLimit(shape, randint) {
      const n = sizeOf(shape);
      const ids = idsFrom('uniform.sampleLimit', 'randint', randint, n, D);
      return { data: Int32Array.from(ids), shape: [...shape] };
    },
    sampleLimitRng: (shape, rng) =>
      graph.sampleLimit(
        shape,
        Int32Array.from({ length: sizeOf(shape) }, () => rng.int(0, D)),
      ),
    scoreEntropyTerms(sigma, x, x0): ScoreEntropyTerms {
      const op = 'uniform.scoreEntropy';
      checkTokens(op, 'x', x, D);
      checkTokens(op, 'x0', x0, D);
      assertSameShape(op, 'x', x.shape, 'x0', x0.shape);
      const sig = sigmaPerPosition(op, 'sigma', sigma, x.shape);
      const t = emptyTerms(x.shape, D, -1, x.data, x0.data);
      for (let p = 0; p < x.data.length; p++) {
        const E = seddExpm1(sig[p]!);
        const ratio = 1 - D / (E + D);
        t.wAll[p] = 1 / D;
        t.wSelf[p] = 1 / D;
        if (x.data[p] === x0.data[p]) {
          t.cAll[p] = ratio / D;
          t.cSelf[p] = ratio / D;
          t.k[p] = ((D - 1) / D) * ratio * (Math.log(ratio) - 1);
        } else {
          t.cAll[p] = 1 / D;
          t.cSelf[p] = 1 / D;
          t.cTarget[p] = 1 / E;
          t.k[p] = ((-Math.log(ratio) - 1) / ratio - (D - 2)) / D;
        }
      }
      return t;
    },
    scoreEntropy: (logScore, sigma, x, x0) => evaluateScoreEntropy(graph.scoreEntropyTerms(sigma, x, x0), logScore),
  };
  return graph;
}
