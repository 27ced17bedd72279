// LLaDA's conditional log-likelihood of a continuation: the Monte-Carlo estimator of mc-loglik.ts
// (ML-GSAI/LLaDA:get_log_likelihood.py:get_log_likelihood, as its eval_llada.py calls it per request):
//   seq = [ctx, cont] × batch;  for j = 1..mcNum/batch:  stratified mask counts over the cont positions only,
//   loss_j = Σ_masked CE / p_mask / batch;   log p(cont | ctx) ≈ −mean_j loss_j   (an ELBO: ≤ in expectation)
// with the prompt kept clean (never masked, not scored) and unsupervised CFG when cfgScale > 0.
// Request k draws from rng.split(`request-${k}`) (rngLikelihoodDraws' 'k' / 'perm' streams).
import type { ContinuationOptions, ContinuationRequest, ContinuationScore } from '../../family.ts';
import type { llada } from '@dlm/samplers';
import { rngLikelihoodDraws } from './forward-process.ts';
import { mcConditionalLogLikelihood } from './mc-loglik.ts';

export function lladaContinuationScores(
  predictor: llada.MaskPredictor,
  reqs: readonly ContinuationRequest[],
  o: ContinuationOptions,
  v: { maskId: number; vocabSize: number; bosId?: number | undefined },
): ContinuationScore[] {
  return reqs.map((r, k) => {
    const bos = o.addBos && v.bosId !== undefined && r.context[0] !== v.bosId;
    const prompt = bos ? [v.bosId!, ...r.context] : r.context;
    const res = mcConditionalLogLikelihood(
      predictor,
      prompt,
      r.continuation,
      { mcNum: o.mcNum, batchSize: o.batch, cfgScale: o.cfgScale, maskId: v.maskId, vocabSize: v.vocabSize },
      rngLikelihoodDraws(o.rng.split(`request-${k}`)),
    );
    return { logLikelihood: res.logLikelihood, stderr: res.stderr, nfe: res.nfe };
  });
}
