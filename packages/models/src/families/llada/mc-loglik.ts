// Monte Carlo estimate of log p(answer | prompt) for a masked diffusion LM
// (ML-GSAI/LLaDA:get_log_likelihood.py:get_log_likelihood; the same estimator as
// ZHZisZZ/dllm core/eval/mdlm.py). For j = 1..mcNum/batchSize:
//   seq = [prompt, answer] × batchSize;  (noisy, p_mask) = forward_process(seq)   // stratified counts
//   logits = model(noisy)   (CFG: un + (cfg+1)(cond − un), un = prompt positions masked)
//   loss_j = Σ_{masked (b,i)} CE(logits[b,i], seq[b,i]) / p_mask[b,i] / batchSize
// log-likelihood ≈ −mean_j loss_j  (a lower bound in expectation: the ELBO of the answer).
// Float64 on the host, like the reference's float64 cross entropy in our fixtures.
import { ConfigError, brief, logsumexp, type Nd } from '@dlm/core';
import { llada } from '@dlm/samplers';
import { lladaForwardProcess, type LladaLikelihoodDraws } from './forward-process.ts';

export interface McLogLikelihoodOptions {
  /** Total number of masked samples; a multiple of batchSize. */
  mcNum: number;
  batchSize: number;
  cfgScale?: number;
  maskId: number;
  vocabSize: number;
  /** Called after each iteration with its intermediates. */
  onIteration?: (record: McIterationRecord) => void;
}

export interface McIterationRecord {
  iteration: number;
  perturbedSeq: Nd<Int32Array>;
  pMask: Nd<Float64Array>;
  /** What the model received ([2·batchSize, l] with CFG). */
  modelInput: Nd<Int32Array>;
  /** Model logits before CFG, [rows, l, V]. */
  modelLogits: llada.LogitsArray;
  /** loss_j (a positive number: weighted NLL of the masked answer tokens per sequence). */
  loss: number;
}

export interface McLogLikelihoodResult {
  /** −mean_j loss_j. */
  logLikelihood: number;
  /** Standard error of that mean over the iterations (NaN with a single iteration). */
  stderr: number;
  losses: number[];
  /** Model forward calls. */
  nfe: number;
}

function checkIds(op: string, arg: string, ids: ArrayLike<number>, v: number): void {
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i]!;
    if (!(Number.isInteger(t) && t >= 0 && t < v))
      throw new ConfigError({ op, arg, expected: `token ids in [0, ${v})`, got: `${brief(t)} at index ${i}` });
  }
}

export function mcConditionalLogLikelihood(
  model: llada.MaskPredictor,
  prompt: ArrayLike<number>,
  answer: ArrayLike<number>,
  opts: McLogLikelihoodOptions,
  draws: LladaLikelihoodDraws,
): McLogLikelihoodResult {
  const op = 'mcConditionalLogLikelihood';
  const { mcNum, batchSize, maskId, vocabSize: V } = opts;
  const cfgScale = opts.cfgScale ?? 0;
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new ConfigError({ op, arg: 'batchSize', expected: 'a positive integer', got: brief(batchSize) });
  if (!(Number.isInteger(mcNum) && mcNum > 0 && mcNum % batchSize === 0)) {
    throw new ConfigError({
      op,
      arg: 'mcNum',
      expected: `a positive multiple of batchSize ${batchSize}`,
      got: brief(mcNum),
    });
  }
  if (!(Number.isFinite(cfgScale) && cfgScale >= 0))
    throw new ConfigError({ op, arg: 'cfgScale', expected: 'a finite number >= 0', got: brief(cfgScale) });
  if (answer.length < 1) throw new ConfigError({ op, arg: 'answer', expected: 'at least one token', got: '0 tokens' });
  checkIds(op, 'prompt', prompt, V);
  checkIds(op, 'answer', answer, V);

  const P = prompt.length;
  const l = P + answer.length;
  const seq = new Int32Array(batchSize * l);
  for (let r = 0; r < batchSize; r++) {
    seq.set(Array.from(prompt), r * l);
    seq.set(Array.from(answer), r * l + P);
  }
  const promptIndex = new Uint8Array(l);
  promptIndex.fill(1, 0, P);

  const losses: number[] = [];
  for (let j = 0; j < mcNum / batchSize; j++) {
    const fp = lladaForwardProcess({ data: seq, shape: [batchSize, l] }, P, maskId, draws, j);
    const modelInput = cfgScale > 0 ? llada.cfgModelInput(fp.noisy, promptIndex, maskId) : fp.noisy;
    const modelLogits = model(modelInput);
    const rows = modelInput.shape[0]!;
    if (modelLogits.length !== rows * l * V) {
      throw new ConfigError({
        op,
        arg: 'model logits',
        expected: `[${rows}, ${l}, ${V}] = ${rows * l * V} values`,
        got: `${modelLogits.length}`,
      });
    }
    const logits = cfgScale > 0 ? llada.cfgCombine(modelLogits, cfgScale) : modelLogits;
    let loss = 0;
    for (let p = 0; p < batchSize * l; p++) {
      if (!fp.masked.data[p]) continue;
      const o = p * V;
      const ce = logsumexp(logits, o, o + V) - logits[o + seq[p]!]!;
      loss += ce / fp.pMask.data[p]!;
    }
    loss /= batchSize;
    losses.push(loss);
    opts.onIteration?.({ iteration: j, perturbedSeq: fp.noisy, pMask: fp.pMask, modelInput, modelLogits, loss });
  }
  const n = losses.length;
  const mean = losses.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : NaN;
  return { logLikelihood: -mean, stderr: Math.sqrt(variance / n), losses, nfe: n };
}
