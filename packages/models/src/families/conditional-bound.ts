// The conditional bound of MDLM and SEDD: log p(cont | ctx) with the prompt kept clean.
//
// Both families' NELBO is an expectation over t ~ U[ε, 1] and x_t ~ q(x_t | x_0) that factorises over positions.
// Holding the context c clean (q acts only on the continuation positions, the network sees c unchanged) gives the
// forward process of the continuation alone, with a reverse model conditioned on c, so the same derivation bounds
// the conditional likelihood:
//   MDLM (Sahoo et al. 2024, eq. 10; kuleshov-group/mdlm@c112c52 diffusion.py:_forward_pass_diffusion):
//     −log p(x | c) ≤ E_t [ dσ(t)/expm1(σ(t)) · Σ_{i ∈ cont, x_t^i = MASK} −log p_θ(x^i | x_t, c) ]
//   SEDD (Lou et al. 2024, eq. 16 DWDSE; louaaron/Score-Entropy-Discrete-Diffusion@0605786 losses.py:loss_fn):
//     −log p(x | c) ≤ E_t [ dσ(t) · Σ_{i ∈ cont} score_entropy(s_θ(x_t, c, σ)_i, x_t^i, x^i) ]  (+ the prior term,
//     ≈ 0 at t = 1 and omitted as the reference omits it)
// Estimator: mcNum draws per request, `batch` copies of [ctx, cont] per forward pass (each copy its own t, MDLM's
// antithetic t across a pass when configured), each draw the family's nll with promptMask = ctx (the family keeps
// those positions clean and gives them weight 0):
//   log p(cont | ctx) ≈ −(1/mcNum) Σ_d nats_d,   stderr = sd(nats, ddof 1) / √mcNum.
// Request k draws from rng.split(`request-${k}`), pass j from its split(`pass-${j}`).
import { ConfigError, brief, type Rng } from '@dlm/core';
import type { ContinuationOptions, ContinuationRequest, ContinuationScore, NllDraw, TokenBatch } from '../family.ts';

/** One draw of the family's bound on a batch whose promptMask positions stay clean and unscored. */
export type PromptCleanDraw = (batch: TokenBatch, rng: Rng) => NllDraw;

export function conditionalBoundScores(
  draw: PromptCleanDraw,
  reqs: readonly ContinuationRequest[],
  o: ContinuationOptions,
  v: { bosId?: number | undefined; maxLength: number; op: string },
): ContinuationScore[] {
  const { mcNum, batch } = o;
  if (!(Number.isInteger(batch) && batch > 0)) {
    throw new ConfigError({ op: v.op, arg: 'batch', expected: 'a positive integer', got: brief(batch) });
  }
  if (!(Number.isInteger(mcNum) && mcNum > 0 && mcNum % batch === 0)) {
    throw new ConfigError({
      op: v.op,
      arg: 'mcNum',
      expected: `a positive multiple of batch ${batch}`,
      got: brief(mcNum),
    });
  }
  return reqs.map((r, k) => {
    if (r.continuation.length < 1) {
      throw new ConfigError({ op: v.op, arg: 'continuation', expected: 'at least one token', got: '0 tokens' });
    }
    const bos = o.addBos && v.bosId !== undefined && r.context[0] !== v.bosId;
    const ctx = bos ? [v.bosId!, ...r.context] : [...r.context];
    const l = ctx.length + r.continuation.length;
    if (l > v.maxLength) {
      const expected = `at most the model's length ${v.maxLength} (truncate the context first)`;
      throw new ConfigError({ op: v.op, arg: 'context + continuation', expected, got: `${l} tokens` });
    }
    const ids = new Int32Array(batch * l);
    const prompt = new Uint8Array(batch * l);
    for (let b = 0; b < batch; b++) {
      ids.set(ctx, b * l);
      ids.set(r.continuation, b * l + ctx.length);
      prompt.fill(1, b * l, b * l + ctx.length);
    }
    const rng = o.rng.split(`request-${k}`);
    const nats: number[] = [];
    for (let j = 0; j < mcNum / batch; j++) {
      const d = draw(
        { ids: { data: ids, shape: [batch, l] }, promptMask: { data: prompt, shape: [batch, l] } },
        rng.split(`pass-${j}`),
      );
      nats.push(...d.nats);
    }
    const n = nats.length;
    const mean = nats.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(nats.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
    return { logLikelihood: -mean, stderr: sd / Math.sqrt(n), nfe: mcNum / batch };
  });
}

/**
 * Restores the prompt positions of a drawn x_t [B·L] to x_0 (in place) and returns the weights [B·L]: the
 * batch's attention (ones when absent) with 0 on the prompt, so the family's loss neither noises nor scores it.
 */
export function keepPromptClean(xt: Int32Array, batch: TokenBatch): Uint8Array {
  const p = batch.promptMask!.data;
  const w = new Uint8Array(xt.length);
  for (let i = 0; i < xt.length; i++) {
    if (p[i]) xt[i] = batch.ids.data[i]!;
    w[i] = p[i] ? 0 : batch.attention ? batch.attention.data[i]! : 1;
  }
  return w;
}
