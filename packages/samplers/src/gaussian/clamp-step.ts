// When the clamping trick (rounding pred_x0 to the nearest word embedding) applies along a sampling chain.
// Diffusion-LM (scripts/text_sample.py @1b8b3db): `--clamp clamp` passes denoised_fn_round to the loop, which
// applies it at EVERY step; there is no threshold. DiffuSeq (diffuseq/gaussian_diffusion.py:
// p_sample_loop_progressive @20a7ab1) compares the loop index i (T−1 … 0 of the possibly respaced chain) with
// clamp_step:
//   clamp_first = true  → round when i ≥ clamp_step   (the first, noisiest steps; sample_seq2seq.py passes True)
//   clamp_first = false → round when i ≤ clamp_step   (the last steps)
// With sample_seq2seq.py's defaults (clamp_step 0, clamp_first True) that is every step. DiffuSeq's
// ddim_sample_loop does not forward clamp_step at all: its DDIM rounds at every step.
import { ConfigError, brief } from '@dlm/core';

/** The predicate step ↦ apply the clamp, for a chain of `numSteps` steps (steps numSteps−1 … 0). */
export function clampStepRule(clampStep: number, clampFirst: boolean, numSteps: number): (step: number) => boolean {
  if (!(Number.isInteger(clampStep) && clampStep >= 0 && clampStep < numSteps)) {
    throw new ConfigError({
      op: 'clampStepRule',
      arg: 'clamp_step',
      expected: `an integer step in [0, ${numSteps}) (the chain has ${numSteps} steps)`,
      got: brief(clampStep),
    });
  }
  return clampFirst ? (step) => step >= clampStep : (step) => step <= clampStep;
}
