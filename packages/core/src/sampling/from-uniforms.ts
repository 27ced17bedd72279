// Categorical sampling from given uniforms: the rule SEDD and MDLM use, so stored uniforms
// reproduce the reference samples exactly.
//
//   sample = argmax_v probs[v] / (1e-10 − log(u[v] + 1e-10))          // probs, u: [..., V]
//
// SEDD catsample.py:sample_categorical (method "hard") and MDLM diffusion.py:_sample_categorical:
// probs / Exp(1) with the exponential drawn as −log(u + 1e-10) (+1e-10 against division by 0),
// i.e. an exponential race. Float64 throughout; the first index wins ties, and a NaN score wins
// like torch.argmax (first NaN).
import { ConfigError, ShapeError } from '../errors.ts';
import type { Nd } from '../nd.ts';

/** Row-major host rows [..., V]: an `Nd` or any `{data, shape}` with numeric data. */
export interface Rows {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** Leading shape and V of rows [..., V]; throws unless rank ≥ 1, V ≥ 1 and data length matches. */
export function rowsOf(op: string, arg: string, x: Rows): { lead: number[]; V: number; n: number } {
  const { shape, data } = x;
  const V = shape[shape.length - 1];
  if (V === undefined || V < 1)
    throw new ShapeError({ op, arg, expected: 'shape [..., V] with V ≥ 1', got: `[${shape.join(',')}]` });
  const size = shape.reduce((a, d) => a * d, 1);
  if (data.length !== size)
    throw new ShapeError({ op, arg, expected: `${size} values for shape [${shape.join(',')}]`, got: `${data.length}` });
  return { lead: shape.slice(0, -1), V, n: size / V };
}

export function sampleFromUniforms(probs: Rows, uniforms: Rows): Nd<Int32Array> {
  const op = 'sampleFromUniforms';
  const { lead, V, n } = rowsOf(op, 'probs', probs);
  if (uniforms.shape.length !== probs.shape.length || uniforms.shape.some((d, i) => d !== probs.shape[i])) {
    throw new ShapeError({
      op,
      arg: 'uniforms',
      expected: `the shape of probs [${probs.shape.join(',')}]`,
      got: `[${uniforms.shape.join(',')}]`,
    });
  }
  rowsOf(op, 'uniforms', uniforms);
  const p = probs.data;
  const u = uniforms.data;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * V;
    let best = 0;
    let bestScore = -Infinity;
    for (let v = 0; v < V; v++) {
      const uv = u[o + v]!;
      if (!(uv >= 0 && uv <= 1))
        throw new ConfigError({
          op,
          arg: 'uniforms',
          expected: 'values in [0, 1]',
          got: `${uv} at row ${r}, index ${v}`,
        });
      const score = p[o + v]! / (1e-10 - Math.log(uv + 1e-10));
      if (Number.isNaN(score)) {
        best = v;
        break;
      }
      if (score > bestScore || v === 0) {
        best = v;
        bestScore = score;
      }
    }
    out[r] = best;
  }
  return { data: out, shape: lead };
}
