// Diffusion-LM (Li et al. 2022, XiangLi1999/Diffusion-LM @1b8b3db, improved-diffusion `training_mode e2e`,
// `predict_xstart`) as a preset: Gaussian diffusion on learned (or fixed) word embeddings over a discrete β
// schedule (sqrt, T = 2000 by default), the embedding-transformer denoiser, the e2e loss (mse + terminal ‖μ_T‖² +
// rounding cross-entropy, + Difformer's anchor CE when weighted), and the ancestral / DDIM samplers with the
// clamping trick and a final rounding (embedding-core.ts, samplers.ts). Its validation number is the e2e loss,
// not a likelihood bound (`likelihood: 'none'`); `dlm eval` reports each term and the rounding error rates.
// `embeddingSpace`: sampling takes a step control (gradient-based control with an attribute classifier on noisy
// embeddings, @dlm/samplers gradient-control.ts; the classifier experiment lives in @dlm/runner control/).
import type { FamilyDef, FamilyModel, NllDraw } from '../../family.ts';
import { tokensPerRow } from '../../nll-draw.ts';
import { EMBEDDING_BACKBONES, embeddingCore } from './embedding-core.ts';
import { embeddingSamplers } from './samplers.ts';
import { diffusionLmFamilySchema } from './schema.ts';

export const diffusionLmFamily: FamilyDef = {
  name: 'diffusion-lm',
  schema: diffusionLmFamilySchema,
  specials: ['bos', 'eos'],
  samplers: embeddingSamplers,
  defaultSampler: 'ancestral',
  backbones: EMBEDDING_BACKBONES,
  capabilities: {
    likelihoodBound: false,
    unconditionalSampling: true,
    conditionalGeneration: false,
    longerThanModel: false,
  },
  likelihood: 'none',
  testConfig: { diffusion_steps: 20 },
  build(ctx): FamilyModel {
    const f = diffusionLmFamilySchema.parse(ctx.family);
    const core = embeddingCore(ctx, f, 'diffusion-lm');
    return {
      family: 'diffusion-lm',
      params: core.params,
      trainLoss: (batch, rng) => core.trainLoss(batch.ids, rng),
      nll(batch, rng): NllDraw {
        // The e2e loss per sequence (means over L and d) × its tokens, so that per token it reads as the loss.
        const tokens = tokensPerRow(batch);
        const { loss } = core.evalTerms(batch.ids, rng);
        return { nats: loss.map((v, i) => v * tokens[i]!), tokens };
      },
      evalTerms: (batch, rng) => ({ ...core.evalTerms(batch.ids, rng) }),
      embeddingSpace: () => ({ process: core.process, embedding: core.hostEmbedding() }),
      sample(req) {
        const { num, length, steps, sampler, rng, control } = req;
        return core.sample({ shape: [num, length], steps, sampler, rng, control });
      },
      dispose: () => core.dispose(),
    };
  },
};
