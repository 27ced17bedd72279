// DiffuSeq (Gong et al. 2023, Shark-NLP/DiffuSeq @20a7ab1) as a preset over the embedding-diffusion core of
// ../diffusion-lm: sequence-to-sequence rows [BOS] source target [EOS]… from `data.pairs` (DiffuSeq's own
// {"src", "trg"} JSONL), partial noising (input_mask = 0 on BOS + source: those positions keep x_start, only the
// target is noised; training_losses_seq2seq), anchored sampling (the source re-imposed after every step;
// p_sample(mask, x_start)), classifier-free guidance and MBR (scripts/eval_seq2seq.py, in the runner's evaluation).
//   CFG training: each row's source replaced by the null condition (EOS ids) with probability p_uncond
//   CFG sampling: x̂0 = (1 + w)·f(x_t, t | source) − w·f(x_t, t | null)      (w = guidance_scale)
// time_schedule ar-diffusion (Wu et al. 2023, microsoft/ProphetNet AR-diffusion @7f91e55): training draws one
// sentence step s per row and gives the target tokens t [B, L] on AR-Diffusion's line (source tokens t = 0);
// sampling runs its skipping loop over sentence steps, left target tokens first (../diffusion-lm/samplers.ts).
// Its validation number is the seq2seq training loss (no likelihood); `dlm eval` decodes the held-out sources.
import { ConfigError, brief, type Nd, type Rng } from '@dlm/core';
import type { FamilyDef, FamilyModel, GenerateRequest, NllDraw, TokenBatch } from '../../family.ts';
import { tokensPerRow } from '../../nll-draw.ts';
import { EMBEDDING_BACKBONES, embeddingCore } from '../diffusion-lm/embedding-core.ts';
import { embeddingSamplers } from '../diffusion-lm/samplers.ts';
import { guidedDenoiser } from './guidance.ts';
import { diffuseqFamilySchema } from './schema.ts';

const OP = 'diffuseq';

/** input_mask [B, L]: 0 on prompt (BOS + source) positions, 1 on the target; absent without a prompt mask. */
function inputMaskOf(batch: TokenBatch): Nd<Int32Array> | undefined {
  const p = batch.promptMask;
  return p ? { data: Int32Array.from(p.data, (v) => (v ? 0 : 1)), shape: [...p.shape] } : undefined;
}

export const diffuseqFamily: FamilyDef = {
  name: 'diffuseq',
  schema: diffuseqFamilySchema,
  specials: ['bos', 'eos'],
  samplers: embeddingSamplers,
  defaultSampler: 'ancestral',
  backbones: EMBEDDING_BACKBONES,
  capabilities: {
    likelihoodBound: false,
    unconditionalSampling: true, // from a source of BOS alone
    conditionalGeneration: true,
    longerThanModel: false,
  },
  likelihood: 'none',
  pairedData: () => true,
  evaluation: 'seq2seq',
  generation: {
    flags: ['gen-length', 'steps'],
    checkKnobs(k, op) {
      for (const [arg, v] of [
        ['--gen-length', k.genLength],
        ['--steps', k.steps],
      ] as const) {
        if (!(Number.isInteger(v) && v >= 1))
          throw new ConfigError({ op, arg, expected: 'an integer ≥ 1', got: brief(v) });
      }
    },
  },
  testConfig: { diffusion_steps: 20, p_uncond: 0.25, guidance_scale: 0.5 },
  build(ctx): FamilyModel {
    const f = diffuseqFamilySchema.parse(ctx.family);
    const { bosId, eosId } = ctx.vocab;
    if (bosId === undefined || eosId === undefined) {
      const expected = 'BOS and EOS ids (rows are [BOS] source target [EOS]…; EOS is also the null condition)';
      throw new ConfigError({ op: OP, arg: 'vocab', expected, got: `bos ${brief(bosId)}, eos ${brief(eosId)}` });
    }
    if (f.guidance_scale > 0 && f.p_uncond === 0) {
      const expected = '> 0 when guidance_scale > 0 (the unconditional model is trained by condition dropout)';
      throw new ConfigError({ op: OP, arg: 'family.p_uncond', expected, got: '0' });
    }
    const core = embeddingCore(
      ctx,
      f,
      OP,
      f.time_schedule === 'ar-diffusion' ? { name: 'ar-diffusion', endPointScale: f.end_point_scale } : undefined,
    );
    const nullId = eosId;

    /** Source tokens (input_mask 0, after BOS) replaced by the null id in the rows where `drop` holds. */
    const nullSource = (ids: Nd<Int32Array>, mask: Nd<Int32Array>, drop: (row: number) => boolean) => {
      const [b, l] = ids.shape as [number, number];
      const out = Int32Array.from(ids.data);
      for (let i = 0; i < b; i++) {
        if (!drop(i)) continue;
        for (let j = 1; j < l; j++) if (mask.data[i * l + j] === 0) out[i * l + j] = nullId;
      }
      return { data: out, shape: [b, l] } as Nd<Int32Array>;
    };

    /** Rows [prompt_b, target…] of length P + G (prompt_b = the row's real tokens, BOS first) and their mask. */
    const layout = (req: Pick<GenerateRequest, 'prompt' | 'attention' | 'genLength'>) => {
      const [b, p] = req.prompt.shape as [number, number];
      const L = p + 1 + req.genLength; // room for a BOS the prompt may lack
      if (L - 1 > core.maxLength) {
        const expected = `prompt + gen-length ≤ model.seq_len ${core.maxLength}`;
        throw new ConfigError({ op: OP, arg: '--gen-length', expected, got: `${p} + ${req.genLength}` });
      }
      const ids = new Int32Array(b * L).fill(eosId);
      const mask = new Int32Array(b * L).fill(1);
      const starts = new Int32Array(b);
      for (let i = 0; i < b; i++) {
        const row = Array.from(req.prompt.data.subarray(i * p, (i + 1) * p)).filter(
          (_, j) => !req.attention || req.attention.data[i * p + j] === 1,
        );
        const src = row[0] === bosId ? row : [bosId, ...row];
        src.forEach((id, j) => {
          ids[i * L + j] = id;
          mask[i * L + j] = 0;
        });
        starts[i] = src.length;
      }
      return { ids: { data: ids, shape: [b, L] } as Nd<Int32Array>, mask: { data: mask, shape: [b, L] }, starts, L };
    };

    const generate = (req: GenerateRequest) => {
      const [b, p] = req.prompt.shape as [number, number];
      const lay = layout(req);
      // Trim the working rows to the longest used length (prompt_b + G ≤ L).
      const used = Math.max(...Array.from(lay.starts, (s) => s + req.genLength));
      const cut = (x: Nd<Int32Array>) => {
        const out = new Int32Array(b * used);
        for (let i = 0; i < b; i++) out.set(x.data.subarray(i * lay.L, i * lay.L + used), i * used);
        return { data: out, shape: [b, used] } as Nd<Int32Array>;
      };
      const source = { ids: cut(lay.ids), mask: cut(lay.mask) };
      const r = core.sample({
        shape: [b, used],
        steps: req.steps,
        sampler: req.sampler ?? 'ancestral',
        rng: req.rng,
        source,
        ...(f.guidance_scale > 0
          ? {
              model: (embedding: Nd) =>
                guidedDenoiser(core.hostModel(), { mask: source.mask, embedding, nullId, scale: f.guidance_scale }),
            }
          : {}),
      });
      // [B, P + G]: the prompt as given (left-padded) and the G positions after each row's own prompt.
      const out = new Int32Array(b * (p + req.genLength));
      for (let i = 0; i < b; i++) {
        out.set(req.prompt.data.subarray(i * p, (i + 1) * p), i * (p + req.genLength));
        const s = lay.starts[i]!;
        out.set(r.ids.data.subarray(i * used + s, i * used + s + req.genLength), i * (p + req.genLength) + p);
      }
      return { ids: { data: out, shape: [b, p + req.genLength] } as Nd<Int32Array>, nfe: r.nfe };
    };

    const trainIds = (batch: TokenBatch, rng: Rng, mask: Nd<Int32Array> | undefined) => {
      if (!mask || f.p_uncond === 0) return batch.ids;
      const u = rng.split('p_uncond');
      return nullSource(batch.ids, mask, () => u.uniform() < f.p_uncond);
    };

    return {
      family: OP,
      params: core.params,
      trainLoss(batch, rng) {
        const mask = inputMaskOf(batch);
        return core.trainLoss(trainIds(batch, rng, mask), rng, mask);
      },
      nll(batch, rng): NllDraw {
        const tokens = tokensPerRow(batch);
        const { loss } = core.evalTerms(batch.ids, rng, inputMaskOf(batch));
        return { nats: loss.map((v, i) => v * tokens[i]!), tokens };
      },
      evalTerms: (batch, rng) => ({ ...core.evalTerms(batch.ids, rng, inputMaskOf(batch)) }),
      sample(req) {
        // From nothing but BOS: every other position is generated.
        const bos: Nd<Int32Array> = { data: new Int32Array(req.num).fill(bosId), shape: [req.num, 1] };
        const r = generate({
          prompt: bos,
          genLength: req.length - 1,
          steps: req.steps,
          blockLength: req.length - 1,
          temperature: 0,
          remasking: '',
          cfgScale: 0,
          rng: req.rng,
          sampler: req.sampler,
        });
        return r;
      },
      generate,
      dispose: () => core.dispose(),
    };
  },
};
