// Rounding to the nearest embedding row ("clamping trick"): each vector x is replaced by the
// embedding E_v minimising ‖E_v − x‖², computed as the reference does,
//   dist[v] = ‖E_v‖² + ‖x‖² − 2·E_v·x, clamped at 0, token = argmin_v dist (first index on ties).
// Host float64. Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/test_util.py:
// denoised_fn_round (get_efficient_knn); Shark-NLP/DiffuSeq diffuseq/rounding.py:denoised_fn_round.
import { ConfigError, ShapeError, type Nd } from '@dlm/core';

export interface Rounded {
  /** [B, L] token ids of the nearest rows. */
  tokens: Nd<Int32Array>;
  /** [B, L, D] = E[tokens]. */
  embeddings: Nd;
}

/** Checks E is [V, D] with D = the last axis of x; returns [V, D]. */
export function checkEmbeddingWidth(
  op: string,
  embedding: Nd,
  xShape: readonly number[],
  xName = 'x',
): [number, number] {
  if (embedding.shape.length !== 2) {
    throw new ShapeError({ op, arg: 'embedding', expected: 'shape [V, D]', got: `[${embedding.shape.join(',')}]` });
  }
  const [V, D] = embedding.shape as [number, number];
  const xD = xShape[xShape.length - 1];
  if (xD !== D) {
    throw new ShapeError({
      op,
      arg: `${xName} and embedding`,
      expected: `the last axis of ${xName} equal to the embedding width ${D}`,
      got: `[${xShape.join(',')}] vs [${V},${D}]`,
    });
  }
  return [V, D];
}

/** Nearest embedding row of every vector of x [..., D] (x: [B, L, D], embedding: [V, D]). */
export function roundToEmbedding(x: Nd, embedding: Nd): Rounded {
  const op = 'gaussian.roundToEmbedding';
  const [V, D] = checkEmbeddingWidth(op, embedding, x.shape);
  const E = embedding.data;
  const embNorm = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += E[v * D + d]! ** 2;
    embNorm[v] = s;
  }
  const P = x.data.length / D;
  const tokens = new Int32Array(P);
  const out = new Float64Array(x.data.length);
  for (let p = 0; p < P; p++) {
    let xNorm = 0;
    for (let d = 0; d < D; d++) xNorm += x.data[p * D + d]! ** 2;
    let best = 0,
      bestDist = Infinity;
    for (let v = 0; v < V; v++) {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += E[v * D + d]! * x.data[p * D + d]!;
      const dist = Math.max(embNorm[v]! + xNorm - 2.0 * dot, 0);
      if (dist < bestDist) {
        bestDist = dist;
        best = v;
      }
    }
    tokens[p] = best;
    for (let d = 0; d < D; d++) out[p * D + d] = E[best * D + d]!;
  }
  return { tokens: { data: tokens, shape: x.shape.slice(0, -1) }, embeddings: { data: out, shape: [...x.shape] } };
}

/** E[ids]: the embedding rows of token ids [B, L] → [B, L, D]. Throws on ids outside [0, V). */
export function embedTokens(ids: Nd<Int32Array>, embedding: Nd, op = 'gaussian.embedTokens'): Nd {
  if (embedding.shape.length !== 2)
    throw new ShapeError({ op, arg: 'embedding', expected: 'shape [V, D]', got: `[${embedding.shape.join(',')}]` });
  const [V, D] = embedding.shape as [number, number];
  checkVocabIds(op, 'input_ids', ids.data, V);
  const out = new Float64Array(ids.data.length * D);
  ids.data.forEach((id, p) => {
    for (let d = 0; d < D; d++) out[p * D + d] = embedding.data[id * D + d]!;
  });
  return { data: out, shape: [...ids.shape, D] };
}

/** Throws ConfigError naming op and arg unless every id is an integer in [0, V). */
export function checkVocabIds(op: string, arg: string, ids: ArrayLike<number>, V: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= V) {
      throw new ConfigError({
        op,
        arg: `${arg}[${i}]`,
        expected: `a token id in [0, ${V}) (the vocabulary size)`,
        got: `${v}`,
      });
    }
  }
}
