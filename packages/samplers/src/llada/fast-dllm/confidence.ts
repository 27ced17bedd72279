// Fast-dLLM's proposal and confidence at one position (NVlabs/Fast-dLLM llada/generate.py get_transfer_index
// @24cc59e7; fixtures/checkpoints/README.md §7.2):
//   x0 = argmax_v noisy[v]   (noisy = LLaDA's Gumbel race of the logits, or the logits at temperature 0)
//   conf = softmax(float64(logits))[x0] = exp(l[x0] − max l) / Σ_v exp(l[v] − max l)
// One departure, so that generation always terminates: the argmax skips the mask id. The reference commits a
// predicted mask id, which leaves the position masked, and then loops forever or raises; here the position gets
// the best other id, with that id's probability under the full softmax (the mask id's mass stays in the sum).
// When the mask id is not the argmax, which holds in every reference case, both give the same x0 and conf.

/**
 * @param logits row-major [..., V]; @param noisy the same positions' perturbed logits (or `logits`)
 * @param at     the position's offset in rows (the position's logits are [at·V, (at+1)·V))
 */
export function proposal(
  logits: ArrayLike<number>,
  noisy: ArrayLike<number>,
  at: number,
  vocabSize: number,
  maskId: number,
): { id: number; conf: number } {
  const o = at * vocabSize;
  let id = -1;
  let best = -Infinity;
  let max = -Infinity;
  for (let v = 0; v < vocabSize; v++) {
    const l = logits[o + v]!;
    if (l > max) max = l;
    if (v === maskId) continue;
    const n = noisy[o + v]!;
    if (id < 0 || n > best) {
      best = n;
      id = v;
    }
  }
  let sum = 0;
  for (let v = 0; v < vocabSize; v++) sum += Math.exp(logits[o + v]! - max);
  return { id, conf: Math.exp(logits[o + id]! - max) / sum };
}
