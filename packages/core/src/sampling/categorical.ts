// Categorical sampling on the host in float64, with temperature, top-k and top-p.
//
// Rows [..., V] of logits or of (unnormalised, non-negative) probabilities → one index per row.
// Float64 throughout: sampling in float32 (torch's default) flattens small probabilities and
// lowers the effective temperature, the trap the reference repos hit (see MDLM's float64
// _sample_categorical). Order of operations as Hugging Face's warpers: temperature, then top-k,
// then top-p, each on the already-truncated row.
//   logits: argmax_v  z_v/T + G_v,        G_v = −log(−log u_v)   (Gumbel-max)
//   probs:  argmax_v  p_v^(1/T) / E_v,    E_v = −log u_v          (exponential race)
// Both draw exactly V uniforms per row (also for truncated entries), so a row's stream use does
// not depend on the options. T = 0 is argmax (first index wins ties) and draws nothing.
import { ConfigError, brief } from '../errors.ts';
import type { Nd } from '../nd.ts';
import type { Rng } from '../rng.ts';
import { type Rows, rowsOf } from './from-uniforms.ts';
import { applyTopK, checkTopK } from './top-k.ts';
import { applyTopP, checkTopP } from './top-p.ts';

export type CategoricalInput =
  { readonly logits: Rows; readonly probs?: undefined } | { readonly probs: Rows; readonly logits?: undefined };

export interface CategoricalOptions {
  /** Softmax temperature; 0 = argmax. Default 1. */
  readonly temperature?: number;
  /** Keep only the k largest entries (ties with the k-th kept). */
  readonly topK?: number;
  /** Keep the smallest most-probable set with mass ≥ p (nucleus). */
  readonly topP?: number;
}

const OP = 'sampleCategorical';

/** Per-row float64 log-weights log p or z (not yet divided by T), validated. */
function logWeights(input: CategoricalInput): {
  logw: Float64Array;
  lead: number[];
  V: number;
  n: number;
  fromProbs: boolean;
} {
  const hasLogits = input.logits !== undefined;
  const hasProbs = input.probs !== undefined;
  if (hasLogits === hasProbs) {
    throw new ConfigError({
      op: OP,
      arg: 'input',
      expected: 'exactly one of { logits } or { probs }',
      got: hasLogits ? 'both' : 'neither',
    });
  }
  const rows = (hasLogits ? input.logits : input.probs)!;
  const arg = hasLogits ? 'logits' : 'probs';
  const { lead, V, n } = rowsOf(OP, arg, rows);
  const logw = new Float64Array(n * V);
  for (let r = 0; r < n; r++) {
    let any = false;
    for (let v = 0; v < V; v++) {
      const x = rows.data[r * V + v]!;
      const bad = hasLogits ? Number.isNaN(x) || x === Infinity : !(x >= 0 && x < Infinity);
      if (bad) {
        throw new ConfigError({
          op: OP,
          arg,
          expected: hasLogits ? 'finite values or −∞ (masked)' : 'finite values ≥ 0',
          got: `${brief(x)} at row ${r}, index ${v}`,
        });
      }
      const w = hasLogits ? x : Math.log(x);
      if (w > -Infinity) any = true;
      logw[r * V + v] = w;
    }
    if (!any)
      throw new ConfigError({
        op: OP,
        arg,
        expected: 'at least one token with non-zero probability per row',
        got: `row ${r} is all ${hasLogits ? '−∞' : 'zero'}`,
      });
  }
  return { logw, lead, V, n, fromProbs: hasProbs };
}

function argmaxRow(x: Float64Array, start: number, V: number): number {
  let best = 0;
  for (let v = 1; v < V; v++) if (x[start + v]! > x[start + best]!) best = v;
  return best;
}

/** One sample per row of `input` ([..., V] → [...] int32 indices). */
export function sampleCategorical(rng: Rng, input: CategoricalInput, opts: CategoricalOptions = {}): Nd<Int32Array> {
  const T = opts.temperature ?? 1;
  if (!(typeof T === 'number' && T >= 0 && T < Infinity)) {
    throw new ConfigError({ op: OP, arg: 'temperature', expected: 'a finite number ≥ 0 (0 = argmax)', got: brief(T) });
  }
  checkTopK(OP, opts.topK);
  checkTopP(OP, opts.topP);
  const { logw, lead, V, n, fromProbs } = logWeights(input);
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * V;
    if (T === 0) {
      // argmax of z (or of log p) — unchanged by any T > 0, and always inside top-k / top-p.
      out[r] = argmaxRow(logw, o, V);
      continue;
    }
    for (let v = o; v < o + V; v++) logw[v] = logw[v]! / T;
    if (opts.topK !== undefined) applyTopK(logw, o, V, opts.topK);
    if (opts.topP !== undefined) applyTopP(logw, o, V, opts.topP);
    let m = -Infinity;
    if (fromProbs) for (let v = o; v < o + V; v++) if (logw[v]! > m) m = logw[v]!;
    let best = -1;
    let bestScore = -Infinity;
    for (let v = 0; v < V; v++) {
      const u = rng.uniformOpen();
      const w = logw[o + v]!;
      if (w === -Infinity) continue;
      // Gumbel-max on logits; exponential race on probabilities (weights rescaled by the row max).
      const score = fromProbs ? Math.exp(w - m) / -Math.log(u) : w - Math.log(-Math.log(u));
      if (best < 0 || score > bestScore) {
        best = v;
        bestScore = score;
      }
    }
    out[r] = best;
  }
  return { data: out, shape: lead };
}
