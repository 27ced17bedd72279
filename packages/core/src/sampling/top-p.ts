// Top-p (nucleus) truncation of one row of log-weights, in place (Holtzman et al. 2020).
//
// Keeps the smallest set of most probable tokens whose probability mass (softmax of the row,
// float64) reaches p, and always at least the most probable token. The set is cut by value:
// if the last token needed ties with others, all of them are kept (as top-k keeps ties with the
// k-th value), so the result does not depend on the order of equal entries. A relative slack of
// 1e-12 on p absorbs float64 summation error (0.7 + 0.1 = 0.7999… must reach p = 0.8).
import { ConfigError, brief } from '../errors.ts';

export function checkTopP(op: string, p: unknown): asserts p is number | undefined {
  if (p !== undefined && !(typeof p === 'number' && p > 0 && p <= 1)) {
    throw new ConfigError({ op, arg: 'topP', expected: 'a number in (0, 1] (or unset for no top-p)', got: brief(p) });
  }
}

/** Set logw[start + v] = −∞ for tokens outside the nucleus of mass p. */
export function applyTopP(logw: Float64Array, start: number, V: number, p: number): void {
  if (p >= 1) return;
  let m = -Infinity;
  for (let v = start; v < start + V; v++) if (logw[v]! > m) m = logw[v]!;
  const probs = new Float64Array(V);
  let total = 0;
  for (let v = 0; v < V; v++) {
    probs[v] = Math.exp(logw[start + v]! - m);
    total += probs[v]!;
  }
  const sorted = probs.slice().sort(); // ascending
  const target = p * total * (1 - 1e-12);
  let cum = 0;
  let threshold = sorted[V - 1]!;
  for (let i = V - 1; i >= 0; i--) {
    cum += sorted[i]!;
    threshold = sorted[i]!;
    if (cum >= target) break;
  }
  for (let v = 0; v < V; v++) if (probs[v]! < threshold) logw[start + v] = -Infinity;
}
