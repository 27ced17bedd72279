// Exact conditional log-likelihood of a continuation under the AR family (lm-evaluation-harness
// lm_eval/models/huggingface.py:HFLM._loglikelihood_tokens @ v0.4.13, the causal-LM branch):
//   inp  = (ctx + cont)[:-1]                          (ctx prefixed by BOS when `addBos`; see ContinuationOptions)
//   logp = log_softmax(model(inp))                    [len(inp), V]
//   loglik   = Σ_j logp[len(ctx) − 1 + j, cont[j]]    (position before cont[j] predicts it)
//   is_greedy = ∀j: argmax_v logp[len(ctx) − 1 + j, v] = cont[j]
// Requests with the same input (MMLU: the four single-token letters after one prompt) share one forward pass.
// Rows of one pass are right-padded: the backbone is causal, so padding after a row never changes its logits.
import { ConfigError, tf } from '@dlm/core';
import type { Backbone } from '../../backbones/backbone.ts';
import { arLogProbs } from '../../backbones/causal-dit/ar-log-probs.ts';
import type { ContinuationOptions, ContinuationRequest, ContinuationScore } from '../../family.ts';

const OP = 'ar continuation';

/** The model input of one request and the positions [len(ctx') − 1, …] whose next-token log-probs score it. */
export function arContinuationInput(
  r: ContinuationRequest,
  o: { addBos: boolean; bosId: number },
): { input: number[]; first: number } {
  if (r.continuation.length < 1) {
    throw new ConfigError({ op: OP, arg: 'continuation', expected: 'at least one token', got: '0 tokens' });
  }
  const ctx = o.addBos && r.context[0] !== o.bosId ? [o.bosId, ...r.context] : [...r.context];
  if (ctx.length < 1) {
    const expected = 'a non-empty context (or addBos: the first continuation token needs a position before it)';
    throw new ConfigError({ op: OP, arg: 'context', expected, got: '0 tokens' });
  }
  const whole = [...ctx, ...r.continuation];
  return { input: whole.slice(0, -1), first: ctx.length - 1 };
}

/**
 * @param net  a causal backbone: forward(ids [B, L]) → logits [B, L, V]
 * @returns    one score per request, in order
 */
export function arContinuationScores(
  net: Backbone,
  reqs: readonly ContinuationRequest[],
  o: ContinuationOptions,
  v: { bosId: number; maskId?: number | undefined },
): ContinuationScore[] {
  const prepared = reqs.map((r) => arContinuationInput(r, { addBos: o.addBos, bosId: v.bosId }));
  for (const p of prepared) {
    if (p.input.length > net.maxLength) {
      const expected = `at most the backbone's maximum length ${net.maxLength} (truncate the context first)`;
      throw new ConfigError({ op: OP, arg: '(context + continuation)[:-1]', expected, got: `${p.input.length}` });
    }
  }
  // Distinct inputs, each run once.
  const rowOf = new Map<string, number>();
  const rows: number[][] = [];
  const rowIndex = prepared.map((p) => {
    const key = p.input.join(',');
    if (!rowOf.has(key)) {
      rowOf.set(key, rows.length);
      rows.push(p.input);
    }
    return rowOf.get(key)!;
  });
  const out: ContinuationScore[] = new Array<ContinuationScore>(reqs.length);
  const batch = Math.max(1, o.batch);
  for (let start = 0; start < rows.length; start += batch) {
    const group = rows.slice(start, start + batch);
    const l = Math.max(...group.map((r) => r.length));
    const ids = new Int32Array(group.length * l);
    group.forEach((r, i) => ids.set(r, i * l));
    // Gather the scored positions on the device: [n, V] log-probs, never the whole [B, L, V] on the host.
    const members = reqs.map((_, k) => k).filter((k) => rowIndex[k]! >= start && rowIndex[k]! < start + batch);
    const flat: number[] = [];
    const targets: number[] = [];
    for (const k of members) {
      const p = prepared[k]!;
      const g = rowIndex[k]! - start;
      reqs[k]!.continuation.forEach((tok, j) => {
        flat.push(g * l + p.first + j);
        targets.push(tok);
      });
    }
    const [picked, argmax] = tf.tidy(() => {
      const x = tf.tensor2d(ids, [group.length, l], 'int32');
      const logp = arLogProbs(net.forward(x, tf.zeros([group.length]) as tf.Tensor1D), v.maskId); // [B, L, V]
      const V = logp.shape[2];
      const at = tf.gather(tf.reshape(logp, [group.length * l, V]), tf.tensor1d(flat, 'int32')); // [n, V]
      const pick = tf.sum(tf.mul(at, tf.oneHot(tf.tensor1d(targets, 'int32'), V)), -1); // [n]
      return [pick.dataSync() as Float32Array, tf.argMax(at, -1).dataSync() as Int32Array];
    });
    let m = 0;
    const counted = new Set<number>();
    for (const k of members) {
      let ll = 0;
      let greedy = true;
      for (const tok of reqs[k]!.continuation) {
        ll += picked[m]!;
        greedy &&= argmax[m] === tok;
        m++;
      }
      const first = !counted.has(rowIndex[k]!);
      counted.add(rowIndex[k]!);
      out[k] = { logLikelihood: ll, stderr: 0, isGreedy: greedy, nfe: first && counted.size === 1 ? 1 : 0 };
    }
  }
  return out;
}
