// Diffusion-LM end-to-end loss (training_mode 'e2e', loss_type E2E_MSE, predict_xstart):
//   loss = mse(x_start, x̂₀) [t0_loss = mse(E[w], x̂₀) where t == 0] + ‖μ_T‖² term + decoder NLL.
// The objective the author confirms in XiangLi1999/Diffusion-LM#8. Formula and shapes:
// embedding-diffusion-terms.ts. Source: XiangLi1999/Diffusion-LM
// improved-diffusion/improved_diffusion/gaussian_diffusion.py:training_losses_e2e.
import type { GaussianEmbeddingProcess } from '@dlm/processes';
import {
  embeddingDiffusionTerms,
  type EmbeddingDenoiser,
  type EmbeddingDiffusionBatch,
  type EmbeddingDiffusionTerms,
  type EmbeddingHead,
} from './embedding-diffusion-terms.ts';

export function diffusionLmE2eLoss(
  process: GaussianEmbeddingProcess,
  head: EmbeddingHead,
  batch: EmbeddingDiffusionBatch,
  model: EmbeddingDenoiser,
): EmbeddingDiffusionTerms {
  return embeddingDiffusionTerms(process, head, batch, model, undefined, 'diffusionLmE2eLoss');
}
