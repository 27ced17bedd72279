// Exact log-likelihood of an autoregressive model by teacher forcing: with logits [B, L, V] of a causal
// model on ids [B, L], position t scores the next token, so
//   log p(ids[t+1] | ids[0 … t]) = logits[t, ids[t+1]] − logsumexp_v logits[t, v]
// (the per-token log-likelihoods of fixtures/checkpoints/README.md §8 `token_logprobs`). Works for any
// backbone whose logits at t depend on ids[0 … t] only (GPT-2, the causal DiT). The logsumexp is taken on
// the host in float64 (from the float32 logits).
import { ShapeError, tf } from '@dlm/core';

/**
 * @param logits        [B, L, V] of a causal model on `ids`
 * @param ids           int32 [B, L]
 * @param attentionMask [B, L] 1 = real, 0 = padding: a term counts only when its context token ids[t]
 *                      and its target ids[t+1] are both real (left padding: the first real token has no term)
 * @param opts.chunkValues logits values read to the host at a time (default 2²², whole rows)
 * @returns per row, the log-probabilities (float64 host numbers) of the counted targets, in order: L − 1
 *          per row without a mask
 */
export function teacherForcedLogProbs(
  logits: tf.Tensor,
  ids: tf.Tensor,
  attentionMask?: tf.Tensor,
  opts: { chunkValues?: number } = {},
): number[][] {
  const op = 'teacherForcedLogProbs';
  const [b, l, v] = logits.shape as [number, number, number];
  if (logits.rank !== 3) throw new ShapeError({ op, arg: 'logits', expected: '[B, L, V]', got: `[${logits.shape}]` });
  if (ids.rank !== 2 || ids.dtype !== 'int32' || ids.shape[0] !== b || ids.shape[1] !== l) {
    throw new ShapeError({ op, arg: 'ids', expected: `int32 [${b}, ${l}]`, got: `${ids.dtype} [${ids.shape}]` });
  }
  if (attentionMask && (attentionMask.rank !== 2 || attentionMask.shape[0] !== b || attentionMask.shape[1] !== l)) {
    throw new ShapeError({ op, arg: 'attentionMask', expected: `[${b}, ${l}]`, got: `[${attentionMask.shape}]` });
  }
  if (l < 2) return Array.from({ length: b }, () => []);
  const idHost = ids.dataSync();
  const keep = attentionMask ? Array.from(attentionMask.dataSync(), (m) => Number(m) !== 0) : undefined;
  const counted = (r: number, t: number) => !keep || (keep[r * l + t]! && keep[r * l + t + 1]!);
  const out: number[][] = Array.from({ length: b }, () => []);
  // Rows of the [B·L, V] logits are read to the host in chunks (bounded memory for any batch) and reduced
  // in float64: logsumexp = max + log Σ exp(x − max).
  const flat = tf.reshape(logits, [b * l, v]);
  const chunk = Math.max(1, Math.floor((opts.chunkValues ?? 2 ** 22) / v));
  try {
    for (let start = 0; start < b * l; start += chunk) {
      const rows = Math.min(chunk, b * l - start);
      // Read outside tf.tidy: tidy walks every key of a returned typed array (4M keys).
      const part = tf.slice(flat, [start, 0], [rows, v]);
      const data = part.dataSync();
      part.dispose();
      for (let k = 0; k < rows; k++) {
        const [r, t] = [Math.floor((start + k) / l), (start + k) % l];
        if (t === l - 1 || !counted(r, t)) continue;
        const id = idHost[r * l + t + 1]!;
        if (!(id >= 0 && id < v))
          throw new ShapeError({ op, arg: 'ids', expected: `ids in [0, ${v})`, got: `${id} at [${r}, ${t + 1}]` });
        out[r]!.push(data[k * v + id]! - logSumExp(data, k * v, v));
      }
    }
  } finally {
    flat.dispose();
  }
  return out;
}

/** log Σ exp over data[offset … offset + n), in float64. */
export function logSumExp(data: ArrayLike<number>, offset = 0, n = data.length - offset): number {
  let max = -Infinity;
  for (let i = offset; i < offset + n; i++) if (data[i]! > max) max = data[i]!;
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = offset; i < offset + n; i++) sum += Math.exp(data[i]! - max);
  return max + Math.log(sum);
}

/** −Σ log p per row (nats), the summed negative log-likelihood of each sequence. */
export function sequenceNll(logProbs: readonly (readonly number[])[]): number[] {
  return logProbs.map((row) => row.reduce((s, x) => s - x, 0));
}
