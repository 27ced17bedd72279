// Top-k truncation of one row of log-weights, in place.
//
// As Hugging Face transformers' TopKLogitsWarper (generation/logits_process.py): every entry
// below the k-th largest value becomes −∞, so entries tied with the k-th value are all kept
// and k ≥ V keeps the whole row.
import { ConfigError, brief } from '../errors.ts';

export function checkTopK(op: string, k: unknown): asserts k is number | undefined {
  if (k !== undefined && !(typeof k === 'number' && Number.isSafeInteger(k) && k >= 1)) {
    throw new ConfigError({ op, arg: 'topK', expected: 'an integer ≥ 1 (or unset for no top-k)', got: brief(k) });
  }
}

/** Set logw[start + v] = −∞ for every v outside the top k of logw[start .. start+V). */
export function applyTopK(logw: Float64Array, start: number, V: number, k: number): void {
  if (k >= V) return;
  const sorted = logw.slice(start, start + V).sort(); // ascending; −∞ first
  const kth = sorted[V - k]!;
  for (let v = start; v < start + V; v++) if (logw[v]! < kth) logw[v] = -Infinity;
}
