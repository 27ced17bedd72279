// The autoregressive baseline (MDLM's `parameterization: ar`, kuleshov-group/mdlm@c112c526 diffusion.py with
// models/autoregressive.py) as a family: next-token cross-entropy by teacher forcing on a causal backbone
// (causal-dit = MDLM's AR model, gpt2 = GPT-2 from knobs or a published checkpoint), the exact NLL as its
// likelihood "bound", and ancestral / greedy decoding (with the backbone's key/value cache where it has one).
//
// Positions: every token of a block x_0 … x_{L−1} is predicted, x_0 from a BOS context, so the NLL covers exactly
// the tokens the diffusion families' bounds cover and the rows of `dlm eval` compare. A block that starts with
// BOS (wrap packing: [BOS] chunk [EOS]) is read as MDLM's AR loss reads it, x_1 … x_{L−1} from x_0 … x_{L−2},
// and its BOS is counted as a token with 0 nats (the packing puts it there; see perTokenNll).
import { ConfigError, Registry, sampleCategorical, tf, type Nd, type Rng } from '@dlm/core';
import { backbones, buildBackbone } from '../../backbones/registry.ts';
import { nllDrawOfTokens } from '../../nll-draw.ts';
import { arLogProbs } from '../../backbones/causal-dit/ar-log-probs.ts';
import type { FamilyBuildContext, FamilyDef, FamilyModel, GenerateRequest, NllDraw, TokenBatch } from '../../family.ts';
import { arContinuationScores } from './continuation.ts';
import { arDecode } from './decode.ts';
import { arFamilySchema } from './schema.ts';
import { checkArKnobs } from '../../layouts/ar-decode.ts';
import { AR_GENERATE_FLAGS } from '../../layouts/layout.ts';

const BACKBONES = ['causal-dit', 'gpt2'] as const;

/** A sampler of the AR family: how the next token is picked from its logits. */
export interface ArSampler {
  /** true = argmax (temperature 0); false = a float64 categorical at the family's temperature / top_k / top_p. */
  greedy: boolean;
}

export const arSamplers = new Registry<ArSampler>('ar sampler', [
  ['ancestral', { greedy: false }],
  ['greedy', { greedy: true }],
]);

export function buildAr(ctx: FamilyBuildContext): FamilyModel {
  const f = arFamilySchema.parse(ctx.family);
  const bos = ctx.vocab.bosId;
  if (bos === undefined || !(Number.isInteger(bos) && bos >= 0 && bos < ctx.vocab.size)) {
    const expected = `a BOS token id in [0, ${ctx.vocab.size}) (the context of the first position)`;
    throw new ConfigError({ op: 'ar', arg: 'vocab.bosId', expected, got: String(bos) });
  }
  const net = buildBackbone(ctx.model, {
    family: 'ar',
    accepted: BACKBONES,
    vocabSize: ctx.vocab.size,
    timeConditioning: false,
    rng: ctx.rng.split('init'),
  });
  const V = ctx.vocab.size;
  const maskId = ctx.vocab.maskId;

  // −log p per logit position [B, L] (0 on padding); summed over a row it is that row's NLL. A row x_0 … x_{L−1}
  // is read from [BOS, x_0 … x_{L−2}] (position t predicts x_t). A row that already starts with BOS (wrap and pad
  // packing put one there) is its own context: it is read as it is (position t predicts x_{t+1}, the last logit
  // unused) and its x_0 = BOS costs 0 nats. Prepending a second BOS instead would give [BOS, BOS, …], whose first
  // two positions a rotary (position-free) causal model cannot tell apart.
  const perTokenNll = (batch: TokenBatch, train?: { rng: Rng }): tf.Tensor2D => {
    const [b, l] = batch.ids.shape as [number, number];
    if (l > net.maxLength) {
      const expected = `at most the backbone's maximum length ${net.maxLength}`;
      throw new ConfigError({ op: 'ar', arg: 'sequence length', expected, got: String(l) });
    }
    const ids = batch.ids.data;
    const att = (k: number) => (batch.attention ? batch.attention.data[k]! : 1);
    const input = new Int32Array(b * l);
    const target = new Int32Array(b * l);
    const weight = new Float32Array(b * l);
    for (let i = 0; i < b; i++) {
      const own = ids[i * l] === bos;
      for (let t = 0; t < l; t++) {
        const k = i * l + t;
        if (own) {
          input[k] = ids[k]!;
          if (t < l - 1) [target[k], weight[k]] = [ids[k + 1]!, att(k + 1)];
        } else {
          input[k] = t === 0 ? bos : ids[k - 1]!;
          [target[k], weight[k]] = [ids[k]!, att(k)];
        }
      }
    }
    return tf.tidy(() => {
      const x = tf.tensor2d(input, [b, l], 'int32');
      const logp = arLogProbs(net.forward(x, tf.zeros([b]) as tf.Tensor1D, train), maskId); // [B, L, V]
      const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(target, [b, l], 'int32'), V)), -1); // [B, L]
      return tf.neg(tf.mul(picked, tf.tensor2d(weight, [b, l]))) as tf.Tensor2D;
    });
  };

  const pickWith =
    (rng: Rng, temperature: number, topK: number | undefined, topP: number | undefined) =>
    (logits: Float32Array, shape: [number, number]): Int32Array =>
      sampleCategorical(
        rng,
        { logits: { data: logits, shape } },
        {
          temperature,
          ...(topK !== undefined ? { topK } : {}),
          ...(topP !== undefined ? { topP } : {}),
        },
      ).data;

  const model: FamilyModel = {
    family: 'ar',
    params: net.params,
    trainLoss(batch, rng) {
      return tf.tidy(() => {
        const per = perTokenNll(batch, { rng });
        const denom = batch.attention
          ? Math.max(
              1,
              batch.attention.data.reduce((a, c) => a + c, 0),
            )
          : per.size;
        return tf.div(tf.sum(per), denom) as tf.Scalar; // Σ NLL / Σ attention_mask, as MDLM's token_nll
      });
    },
    // Exact (no Monte-Carlo draw): the rng is not used, so every `time sample` of `dlm eval` agrees.
    nll(batch): NllDraw {
      return nllDrawOfTokens(
        tf.tidy(() => perTokenNll(batch).dataSync()),
        batch,
      );
    },
    sample(req) {
      const sampler = arSamplers.get(req.sampler);
      const temperature = sampler.greedy ? 0 : f.temperature;
      const r = arDecode(net, {
        context: { data: new Int32Array(req.num).fill(bos), shape: [req.num, 1] },
        newTokens: req.length,
        pick: pickWith(req.rng, temperature, f.top_k, f.top_p),
        kvCache: f.kv_cache,
        maskId,
        onStep: req.onStep,
      });
      return { ids: r.ids, nfe: r.nfe };
    },
    generate(req: GenerateRequest) {
      const [b, p] = req.prompt.shape as [number, number];
      // An empty prompt starts from BOS (which is not returned).
      const context = p > 0 ? req.prompt : { data: new Int32Array(b).fill(bos), shape: [b, 1] };
      const r = arDecode(net, {
        context,
        attention: p > 0 ? req.attention : undefined,
        newTokens: req.genLength,
        // `dlm generate` passes top-k 0 / top-p 1 for "off" (Hugging Face's convention).
        pick: pickWith(
          req.rng,
          req.temperature,
          req.topK === 0 ? undefined : (req.topK ?? f.top_k),
          req.topP === 1 ? undefined : (req.topP ?? f.top_p),
        ),
        kvCache: f.kv_cache,
        maskId,
      });
      const ids = new Int32Array(b * (p + req.genLength)); // [B, P + genLength]: prompt, then the new tokens
      for (let i = 0; i < b; i++) {
        ids.set(req.prompt.data.subarray(i * p, (i + 1) * p), i * (p + req.genLength));
        ids.set(r.ids.data.subarray(i * req.genLength, (i + 1) * req.genLength), i * (p + req.genLength) + p);
      }
      const out: Nd<Int32Array> = { data: ids, shape: [b, p + req.genLength] };
      return { ids: out, nfe: r.nfe };
    },
    continuationLogLikelihood: (reqs, o) => arContinuationScores(net, reqs, o, { bosId: bos, maskId }),
    dispose: () => net.dispose(),
  };
  return model;
}

export const arFamily: FamilyDef = {
  name: 'ar',
  schema: arFamilySchema,
  specials: ['bos', 'eos'],
  samplingSteps: 'one-per-token',
  samplers: arSamplers,
  defaultSampler: 'ancestral',
  backbones: BACKBONES,
  generation: { flags: AR_GENERATE_FLAGS, checkKnobs: (k, op) => checkArKnobs(op, k) },
  capabilities: {
    likelihoodBound: true, // the exact NLL is (trivially) an upper bound on itself
    unconditionalSampling: true,
    conditionalGeneration: true,
    longerThanModel: false,
  },
  likelihood: 'exact',
  continuation: { estimator: 'exact', shifted: true, knobs: ['batch'] },
  // The cache exists only on backbones with incremental decoding (gpt2); causal-dit always recomputes the prefix.
  benchVariants: (model) =>
    backbones.get(model.name).incrementalDecoding
      ? [
          { label: 'kv cache', family: { kv_cache: true } },
          { label: 'no cache', family: { kv_cache: false } },
        ]
      : [{ label: `no cache (${model.name} has none)`, family: {} }],
  build: buildAr,
};
