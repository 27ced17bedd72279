// LLaDA (Nie et al. 2025, ML-GSAI/LLaDA @ b7e6c35) as a preset: a time-free mask predictor (the
// `llada` transformer, or a DiT without time conditioning), the masked cross-entropy of GUIDELINES.md
// (pre-training ÷ B·L, SFT ÷ answer length; @dlm/losses), LLaDA's Monte-Carlo likelihood bound
// (get_log_likelihood.py) and generate.py's sampler with its remasking rules (@dlm/samplers llada).
import { ConfigError, brief, tf, type Nd, type Rng } from '@dlm/core';
import { lladaPretrainingLoss, lladaSftLoss, lladaTrainForwardFromRng, randomLengthTruncate } from '@dlm/losses';
import { llada as lladaSamplers } from '@dlm/samplers';
import type { Backbone } from '../../backbones/backbone.ts';
import { buildBackbone } from '../../backbones/registry.ts';
import type {
  FamilyBuildContext,
  FamilyDef,
  FamilyModel,
  GenerateRequest,
  NllDraw,
  SampleRequest,
  SampleResult,
  TokenBatch,
} from '../../family.ts';
import { lladaContinuationScores } from './continuation.ts';
import { likelihoodNats, likelihoodNoise } from './likelihood-draw.ts';
import { lladaFamilySchema, type LladaFamilyConfig } from './schema.ts';
import { LLADA_GENERATE_FLAGS } from '../../layouts/layout.ts';
import { checkLladaKnobs } from '../../layouts/llada.ts';
import { lladaGenerate } from './generation.ts';

const BACKBONES = ['llada', 'dit'] as const;
const OP = 'llada family';

/** The network as LLaDA's sampler sees it: ids [rows, L] (+ 0/1 attention) → float32 logits [rows, L, V]. */
function maskPredictor(net: Backbone): lladaSamplers.MaskPredictor {
  return (x, attention) => {
    const [rows, len] = x.shape as [number, number];
    if (attention && !net.forwardWithAttention) {
      const expected = 'a backbone with an attention mask (llada) for left-padded prompts';
      throw new ConfigError({ op: OP, arg: 'model.name', expected, got: net.name });
    }
    return tf.tidy(() => {
      const ids = tf.tensor2d(x.data, [rows, len], 'int32');
      const logits = attention
        ? net.forwardWithAttention!(ids, tf.tensor2d(Float32Array.from(attention.data), [rows, len]))
        : net.forward(ids, tf.zeros([rows]) as tf.Tensor1D);
      return logits.dataSync() as Float32Array; // a copy of the data: the tensor is disposed by tidy
    });
  };
}

/** LLaDA pre-training's random length (GUIDELINES.md: 1% of batches cut to a length U{1..L}). */
function randomLength(batch: TokenBatch, f: LladaFamilyConfig, rng: Rng): TokenBatch {
  if (f.objective !== 'pretrain' || f.random_length_prob === 0) return batch;
  const [b, l] = batch.ids.shape as [number, number];
  const gate = rng.split('random-length').uniform();
  const cut = rng.split('random-length-cut').int(1, l + 1);
  const ids = randomLengthTruncate(batch.ids, gate, cut, f.random_length_prob);
  if (ids === batch.ids) return batch;
  const crop = <T extends Uint8Array>(a: Nd<T>): Nd<T> => {
    const out = new (a.data.constructor as new (n: number) => T)(b * cut);
    for (let r = 0; r < b; r++) out.set(a.data.subarray(r * l, r * l + cut), r * cut);
    return { data: out, shape: [b, cut] };
  };
  return { ids, ...(batch.attention ? { attention: crop(batch.attention) } : {}) };
}

export function buildLlada(ctx: FamilyBuildContext): FamilyModel {
  const f = lladaFamilySchema.parse(ctx.family);
  const maskId = ctx.vocab.maskId;
  const vocabSize = ctx.vocab.size;
  if (maskId === undefined || !(maskId >= 0 && maskId < vocabSize)) {
    const expected = `a mask token id in [0, ${vocabSize})`;
    throw new ConfigError({ op: OP, arg: 'vocab.maskId', expected, got: brief(maskId) });
  }
  const net = buildBackbone(ctx.model, {
    family: 'llada',
    accepted: BACKBONES,
    vocabSize,
    timeConditioning: false, // LLaDA's network sees no time
    rng: ctx.rng.split('init'),
  });
  const predictor = maskPredictor(net);
  const checkLength = (arg: string, l: number) => {
    if (l > net.maxLength) {
      const expected = `at most the backbone's length ${net.maxLength}`;
      throw new ConfigError({ op: OP, arg, expected, got: String(l) });
    }
  };
  const checkPromptMask = (batch: TokenBatch) => {
    const sft = f.objective === 'sft';
    if (sft !== Boolean(batch.promptMask)) {
      const expected = sft ? 'batches with a promptMask (data.pairs)' : 'batches without a promptMask (objective sft)';
      throw new ConfigError({ op: OP, arg: 'family.objective', expected, got: f.objective });
    }
  };

  return {
    family: 'llada',
    params: net.params,
    trainLoss(batch0, rng) {
      checkPromptMask(batch0);
      const batch = randomLength(batch0, f, rng);
      const [b, l] = batch.ids.shape as [number, number];
      checkLength('sequence length', l);
      const promptMask = batch.promptMask?.data;
      const opts = { maskId, eps: f.eps, ...(promptMask ? { promptMask } : {}) };
      const noised = lladaTrainForwardFromRng(batch.ids, rng, opts);
      const att = batch.attention?.data;
      if (att && f.objective === 'pretrain') {
        // Padding (attention 0) is never masked nor counted: the loss ÷ the real tokens of the batch.
        for (let i = 0; i < b * l; i++) {
          if (att[i]) continue;
          noised.masked.data[i] = 0;
          noised.maskable[i] = 0;
          noised.noisy.data[i] = batch.ids.data[i]!;
        }
      }
      return tf.tidy(() => {
        const xt = tf.tensor2d(noised.noisy.data, [b, l], 'int32');
        const logits = net.forward(xt, tf.zeros([b]) as tf.Tensor1D, { rng }); // [B, L, V]
        const loss = f.objective === 'sft' ? lladaSftLoss : lladaPretrainingLoss;
        return loss(logits, batch.ids, noised).loss;
      });
    },
    nll(batch, rng): NllDraw {
      checkPromptMask(batch);
      checkLength('sequence length', batch.ids.shape[1]!);
      const noise = likelihoodNoise(batch, rng, maskId);
      return likelihoodNats(predictor(noise.noisy), batch.ids, noise, vocabSize);
    },
    sample(req: SampleRequest): SampleResult {
      checkLength('sampling.length', req.length);
      const blockLength = f.block_length ?? req.length;
      const r = lladaSamplers.generate(
        predictor,
        { data: new Int32Array(0), shape: [req.num, 0] },
        {
          steps: req.steps,
          genLength: req.length,
          blockLength,
          temperature: f.temperature,
          remasking: req.sampler,
          maskId,
          vocabSize,
          draws: lladaSamplers.rngLladaDraws(req.rng),
          ...(req.onStep ? { onStep: (s: { step: number }) => req.onStep!(s.step + 1, s.step + 1) } : {}),
        },
      );
      return { ids: r.x, nfe: r.nfe };
    },
    generate(req: GenerateRequest) {
      checkLength('prompt + genLength', req.prompt.shape[1]! + req.genLength);
      const kv = net.bidirectionalKv ? () => net.bidirectionalKv!() : undefined;
      const m = { predict: predictor, kv, who: `backbone ${net.name}` };
      const r = lladaGenerate(m, { ...req, topK: req.topK ?? 0, topP: req.topP ?? 1 }, { maskId, vocabSize }, OP);
      return { ids: r.x, nfe: r.nfe };
    },
    continuationLogLikelihood(reqs, o) {
      const bos = ctx.vocab.bosId;
      for (const r of reqs) {
        const extra = o.addBos && bos !== undefined && r.context[0] !== bos ? 1 : 0;
        checkLength('context + continuation', extra + r.context.length + r.continuation.length);
      }
      return lladaContinuationScores(predictor, reqs, o, { maskId, vocabSize, bosId: ctx.vocab.bosId });
    },
    dispose: () => net.dispose(),
  };
}

export const lladaFamily: FamilyDef = {
  name: 'llada',
  schema: lladaFamilySchema,
  // The mask predictor's mask; BOS / EOS delimit documents and pairs (EOS pads SFT answers).
  specials: ['bos', 'eos', 'mask'],
  // The remasking rules of generate.py, one file and one registry entry each.
  samplers: lladaSamplers.remaskings,
  defaultSampler: 'low_confidence', // generate.py remasking default
  benchVariants: () => lladaSamplers.lladaBenchVariants,
  backbones: BACKBONES,
  generation: { flags: LLADA_GENERATE_FLAGS, checkKnobs: (k, op) => checkLladaKnobs(k, op) },
  capabilities: {
    likelihoodBound: true,
    unconditionalSampling: true,
    conditionalGeneration: true,
    longerThanModel: false,
  },
  pairedData: (family) => family['objective'] === 'sft',
  continuation: { estimator: 'bound', shifted: false, knobs: ['mcNum', 'batch', 'cfgScale'] },
  build: buildLlada,
};
