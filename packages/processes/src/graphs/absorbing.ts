// The absorbing ("absorb") graph of SEDD (louaaron/Score-Entropy-Discrete-Diffusion:graph_lib.py:Absorbing):
// every token jumps to the mask at rate 1 and the mask never leaves. D = dim states; SEDD's
// Absorbing(tokens) has dim = tokens + 1 with the mask last. The mask may sit at any column here
// (MDLM: the tokenizer's [MASK] id), default dim − 1.
//   rate(i)              = one_hot(mask) − one_hot(i)
//   transp_rate(i)       = −one_hot(i), plus 1 in every column where i = mask
//   transition           = undefined (the reference body is `pass` → null)
//   transp_transition(i) = e^{−σ}·one_hot(i), plus (1 − e^{−σ}) in every column where i = mask
//   sample_transition    = mask where u < 1 − e^{−σ}, else i
//   staggered_score(s)   = s·e^{dσ}, then s'[mask] += (1 − e^{dσ})·Σ_v s_v   (sum of the original s)
//   sample_limit         = all mask
import { ConfigError, assertSameShape, brief, seddExpm1, sizeOf, type Nd, type Rng, type Rows } from '@dlm/core';
import { checkTokens, checkVectors, leadOf, moveWhere, reverseRateFrom, sigmaPerPosition } from './common.ts';
import { emptyTerms, evaluateScoreEntropy, type ScoreEntropyTerms } from './score-entropy.ts';
import type { Graph, TransitionDraws } from './types.ts';

export interface AbsorbingParams {
  /** Number of states including the mask. */
  dim: number;
  /** The mask column; dim − 1 (SEDD) by default. */
  maskIndex?: number;
}

export function absorbingGraph(params: AbsorbingParams): Graph {
  const { dim } = params;
  const mask = params.maskIndex ?? dim - 1;
  if (!(Number.isInteger(dim) && dim >= 2))
    throw new ConfigError({
      op: 'absorbingGraph',
      arg: 'dim',
      expected: 'an integer ≥ 2 (tokens + mask)',
      got: brief(dim),
    });
  if (!(Number.isInteger(mask) && mask >= 0 && mask < dim))
    throw new ConfigError({
      op: 'absorbingGraph',
      arg: 'maskIndex',
      expected: `a column in [0, ${dim})`,
      got: brief(mask),
    });
  const D = dim;
  const vectors = (shape: readonly number[]) => ({ data: new Float64Array(sizeOf(shape) * D), shape: [...shape, D] });

  const transpTransition = (op: string, i: Nd<Int32Array>, sigma: ArrayLike<number>): Nd<Float64Array> => {
    checkTokens(op, 'i', i, D);
    const sig = sigmaPerPosition(op, 'sigma', sigma, i.shape);
    const out = vectors(i.shape);
    for (let p = 0; p < i.data.length; p++) {
      const o = p * D;
      const e = Math.exp(-sig[p]!);
      out.data[o + i.data[p]!] = e;
      if (i.data[p] === mask) for (let v = 0; v < D; v++) out.data[o + v] = out.data[o + v]! + (1 - e);
    }
    return out;
  };

  const graph: Graph = {
    name: 'absorbing',
    dim: D,
    maskIndex: mask,
    absorb: true,
    rate(i) {
      checkTokens('absorbing.rate', 'i', i, D);
      const out = vectors(i.shape);
      for (let p = 0; p < i.data.length; p++) {
        out.data[p * D + mask] = 1;
        out.data[p * D + i.data[p]!] = out.data[p * D + i.data[p]!]! - 1;
      }
      return out;
    },
    transpRate(i) {
      checkTokens('absorbing.transpRate', 'i', i, D);
      const out = vectors(i.shape);
      for (let p = 0; p < i.data.length; p++) {
        out.data[p * D + i.data[p]!] = -1;
        if (i.data[p] === mask) for (let v = 0; v < D; v++) out.data[p * D + v] = out.data[p * D + v]! + 1;
      }
      return out;
    },
    transition: () => null,
    transpTransition: (i, sigma) => transpTransition('absorbing.transpTransition', i, sigma),
    forwardDistribution(i, sigma) {
      const op = 'absorbing.forwardDistribution';
      checkTokens(op, 'i', i, D);
      const sig = sigmaPerPosition(op, 'sigma', sigma, i.shape);
      const out = vectors(i.shape);
      for (let p = 0; p < i.data.length; p++) {
        const e = Math.exp(-sig[p]!);
        out.data[p * D + i.data[p]!] = e;
        out.data[p * D + mask] = out.data[p * D + mask]! + (1 - e);
      }
      return out;
    },
    sampleTransition(i, sigma, draws: TransitionDraws) {
      const op = 'absorbing.sampleTransition';
      checkTokens(op, 'i', i, D);
      return moveWhere(op, i, sigmaPerPosition(op, 'sigma', sigma, i.shape), draws.uniform, () => mask);
    },
    sampleTransitionRng(i, sigma, rng: Rng) {
      return graph.sampleTransition(i, sigma, { uniform: rng.uniforms(i.data.length) });
    },
    reverseRate(i, score: Rows) {
      checkVectors('absorbing.reverseRate', 'i', i.shape, 'score', score, D);
      return reverseRateFrom(graph.transpRate(i), i, score);
    },
    staggeredScore(score, dsigma) {
      const op = 'absorbing.staggeredScore';
      const lead = leadOf(op, 'score', score, D);
      const ds = sigmaPerPosition(op, 'dsigma', dsigma, lead);
      const out = vectors(lead);
      for (let p = 0; p < ds.length; p++) {
        const o = p * D;
        const e = Math.exp(ds[p]!);
        let sum = 0;
        for (let v = 0; v < D; v++) sum += score.data[o + v]!;
        for (let v = 0; v < D; v++) out.data[o + v] = score.data[o + v]! * e;
        out.data[o + mask] = out.data[o + mask]! + (1 - e) * sum;
      }
      return out;
    },
    sampleLimit(shape) {
      return { data: new Int32Array(sizeOf(shape)).fill(mask), shape: [...shape] };
    },
    sampleLimitRng: (shape) => graph.sampleLimit(shape),
    scoreEntropyTerms(sigma, x, x0): ScoreEntropyTerms {
      const op = 'absorbing.scoreEntropy';
      checkTokens(op, 'x', x, D);
      checkTokens(op, 'x0', x0, D);
      assertSameShape(op, 'x', x.shape, 'x0', x0.shape);
      const sig = sigmaPerPosition(op, 'sigma', sigma, x.shape);
      const t = emptyTerms(x.shape, D, mask, x.data, x0.data);
      for (let p = 0; p < x.data.length; p++) {
        if (x.data[p] !== mask) continue;
        const r = 1 / seddExpm1(sig[p]!);
        t.wAll[p] = 1;
        t.cTarget[p] = r;
        t.k[p] = r * (Math.log(r) - 1);
      }
      return t;
    },
    scoreEntropy: (logScore, sigma, x, x0) => evaluateScoreEntropy(graph.scoreEntropyTerms(sigma, x, x0), logScore),
  };
  return graph;
}
