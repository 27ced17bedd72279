// LLaDA's Monte-Carlo conditional log-likelihood lives with the llada family (@dlm/models families/llada), whose
// continuation scoring uses it; re-exported here where evaluations have always imported it.
export {
  lladaForwardProcess,
  mcConditionalLogLikelihood,
  replayLikelihoodDraws,
  rngLikelihoodDraws,
  roundHalfEven,
  stratifiedMaskCounts,
  type ForwardProcessResult,
  type LladaLikelihoodDraws,
  type McIterationRecord,
  type McLogLikelihoodOptions,
  type McLogLikelihoodResult,
} from '@dlm/models';
