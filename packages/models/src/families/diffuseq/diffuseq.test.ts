// DiffuSeq beyond the contract test: generation keeps the source (anchored sampling) and returns LLaDA's
// [B, P + G] layout with left-padded batches, classifier-free guidance with w = 0
// is the conditional model and w > 0 changes the output, the seq2seq loss ignores what the model sees at target
// positions only through x_t (partial noising: source positions keep x_start), and bad knobs are named errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initBackend, type Nd } from '@dlm/core';
import { loglinear } from '@dlm/schedules';
import { diffuseqFamily } from './diffuseq.ts';

const V = 12,
  BOS = 10,
  EOS = 11,
  L = 10;
const model = {
  name: 'embedding-transformer',
  hidden_dim: 8,
  hidden_t_dim: 8,
  seq_len: L,
  hidden_size: 16,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  dropout: 0,
  attention_probs_dropout_prob: 0,
};
const build = (family: Record<string, unknown> = {}) =>
  diffuseqFamily.build({
    family: { diffusion_steps: 50, ...family },
    model,
    noise: loglinear({ eps: 1e-3 }),
    vocab: { size: V, bosId: BOS, eosId: EOS },
    rng: Rng.seeded(4),
  });
const ids = (rows: number[][]): Nd<Int32Array> => ({
  data: Int32Array.from(rows.flat()),
  shape: [rows.length, rows[0]!.length],
});
const req = (prompt: Nd<Int32Array>, attention?: Nd<Int32Array>) => ({
  prompt,
  ...(attention ? { attention } : {}),
  genLength: 5,
  steps: 6,
  blockLength: 5,
  temperature: 0,
  remasking: '',
  cfgScale: 0,
  rng: Rng.seeded(7),
});

describe('diffuseq family', () => {
  beforeAll(() => initBackend({ backend: 'cpu', log: () => {} }));

  it('generate: [B, P + G] with the prompt kept, NFE = steps; BOS added when missing; left-padded batches', () => {
    const m = build();
    const a = m.generate!(req(ids([[BOS, 3, 4, 5]])));
    expect(a.ids.shape).toEqual([1, 9]);
    expect(Array.from(a.ids.data.subarray(0, 4))).toEqual([BOS, 3, 4, 5]);
    expect(a.nfe).toBe(6);
    // The same prompt without BOS: the family puts BOS first (training rows start with it).
    const noBos = m.generate!(req(ids([[3, 4, 5]])));
    expect(Array.from(noBos.ids.data.subarray(3))).toEqual(Array.from(a.ids.data.subarray(4)));
    // A batch with a shorter, left-padded prompt: each row keeps its prompt and is decoded after its own prompt.
    const batch = m.generate!(
      req(
        ids([
          [BOS, 3, 4, 5],
          [EOS, BOS, 6, 7],
        ]),
        ids([
          [1, 1, 1, 1],
          [0, 1, 1, 1],
        ]),
      ),
    );
    expect(batch.ids.shape).toEqual([2, 9]);
    expect(Array.from(batch.ids.data.subarray(9, 13))).toEqual([EOS, BOS, 6, 7]);
    m.dispose();
  });

  it('classifier-free guidance: w = 0 is the conditional model; w > 0 changes the decode', () => {
    // Without the clamping trick, so that the guided x̂0 is not rounded back to the same embeddings.
    const plain = build({ p_uncond: 0.1, clamp: 'none' });
    const zero = build({ p_uncond: 0.1, guidance_scale: 0, clamp: 'none' });
    // An untrained network reads the source weakly: only a large w moves the decode (guidance.test.ts checks the
    // formula exactly).
    const guided = build({ p_uncond: 0.1, guidance_scale: 1000, clamp: 'none' });
    const p = ids([[BOS, 3, 4, 5]]);
    const a = plain.generate!(req(p));
    expect(Array.from(zero.generate!(req(p)).ids.data)).toEqual(Array.from(a.ids.data));
    const g = guided.generate!(req(p));
    expect(g.nfe).toBe(6); // one guided step = two network calls, counted as one model evaluation per step
    expect(Array.from(g.ids.data)).not.toEqual(Array.from(a.ids.data));
    for (const m of [plain, zero, guided]) m.dispose();
  });

  it('partial noising: the loss terms count target positions for the rates; prompt mask required for SFT-style rows', () => {
    const m = build();
    const batch = {
      ids: ids([[BOS, 3, 4, 5, 5, 4, 3, EOS, EOS, EOS]]),
      promptMask: { data: Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]), shape: [1, L] },
    };
    const t = m.evalTerms!(batch, Rng.seeded(2));
    expect(t['loss']![0]!).toBeCloseTo(t['mse']![0]! + t['terminal']![0]! + t['rounding_ce']![0]!, 5);
    for (const k of ['rounding_error', 'embedding_error']) expect(t[k]![0]! >= 0 && t[k]![0]! <= 1).toBe(true);
    const loss = m.trainLoss(batch, Rng.seeded(2));
    expect(Number.isFinite(loss.dataSync()[0]!)).toBe(true);
    loss.dispose();
    m.dispose();
  });

  it('named errors: guidance without condition dropout; a prompt + gen-length over seq_len', () => {
    expect(() => build({ guidance_scale: 1 })).toThrow(/family\.p_uncond.*guidance_scale/);
    const m = build();
    expect(() => m.generate!({ ...req(ids([[BOS, 3, 4, 5]])), genLength: 7 })).toThrow(/--gen-length.*seq_len 10/);
    m.dispose();
  });
});
