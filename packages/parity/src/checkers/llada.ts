// Checkers for llada.json (ML-GSAI/LLaDA generate.py, get_log_likelihood.py, GUIDELINES.md).
// Tolerances: host float64 outputs (Gumbel noise, generate logits, likelihoods) at the file's
// tolerance; the training losses run through tfjs float32 and are checked at FLOAT32_TOL
// (rtol 1e-4, atol 1e-5); integer and boolean outputs exactly. Every size is read from the case.
import { argmaxRows, f64, i32, tf, type Nd, type NestedNumbers } from '@dlm/core';
import { llada as L } from '@dlm/samplers';
import { lladaForwardProcess, mcConditionalLogLikelihood, replayLikelihoodDraws } from '@dlm/eval';
import { lladaPretrainingLoss, lladaSftLoss, lladaTrainForward, randomLengthTruncate } from '@dlm/losses';
import {
  FLOAT32_TOL,
  expectClose,
  expectExact,
  type Checker,
  type Dispatcher,
  type FixtureCase,
  type FixtureFile,
} from '../harness.ts';

const nested = (v: unknown) => v as NestedNumbers;

/**
 * The fixture's fake mask predictor, from its tables (sizes from the tables):
 *   logits[b,i,v] = W_pos[i,v] + W_tok[x[b,i],v] + (1/L)·Σ_j W_bag[x[b,j],v]; the attention mask is ignored.
 */
export function fakeLladaModel(tables: { W_pos: number[][]; W_tok: number[][]; W_bag: number[][] }): {
  model: L.MaskPredictor;
  vocabSize: number;
} {
  const wPos = f64(nested(tables.W_pos));
  const wTok = f64(nested(tables.W_tok));
  const wBag = f64(nested(tables.W_bag));
  const V = wPos.shape[1]!;
  const model: L.MaskPredictor = (x) => {
    const [rows, len] = x.shape as [number, number];
    if (len > wPos.shape[0]!) throw new Error(`fake model: length ${len} exceeds W_pos rows ${wPos.shape[0]}`);
    const out = new Float64Array(rows * len * V);
    for (let b = 0; b < rows; b++) {
      const bag = new Float64Array(V);
      for (let j = 0; j < len; j++)
        for (let v = 0; v < V; v++) bag[v] = bag[v]! + wBag.data[x.data[b * len + j]! * V + v]!;
      for (let i = 0; i < len; i++) {
        const tok = x.data[b * len + i]!;
        for (let v = 0; v < V; v++)
          out[(b * len + i) * V + v] = wPos.data[i * V + v]! + wTok.data[tok * V + v]! + bag[v]! / len;
      }
    }
    return out;
  };
  return { model, vocabSize: V };
}

const transferTokens: Checker = (c) => {
  const got = L.getNumTransferTokens(i32(nested(c.inputs.mask_index)), c.inputs.steps);
  expectExact('num_transfer_tokens', got.data, c.outputs.num_transfer_tokens);
};

const gumbel: Checker = (c, f) => {
  const logits = f64(nested(c.inputs.logits));
  const V = logits.shape[logits.shape.length - 1]!;
  const u = c.inputs.uniform_noise ? f64(nested(c.inputs.uniform_noise)).data : undefined;
  const noisy = L.addGumbelNoise(logits.data, c.inputs.temperature, u);
  expectClose('logits_with_noise', noisy, c.outputs.logits_with_noise, f.tolerance);
  expectExact('argmax', argmaxRows(noisy, V), c.outputs.argmax);
};

const generate: Checker = (c, f) => {
  const inp = c.inputs;
  const { model, vocabSize } = fakeLladaModel(inp.fake_model);
  if (vocabSize !== inp.vocab_size) throw new Error(`fake model V ${vocabSize} != vocab_size ${inp.vocab_size}`);
  const flatSteps = (a: unknown) => (a ? (a as NestedNumbers[]).map((s) => f64(s).data) : undefined);
  const draws = L.replayLladaDraws({
    gumbelPerStep: flatSteps(inp.gumbel_uniforms_per_step),
    confidencePerStep: flatSteps(inp.random_confidence_per_step),
  });
  const records: L.GenerateStepRecord[] = [];
  const res = L.generate(model, i32(nested(inp.prompt)), {
    steps: inp.steps,
    genLength: inp.gen_length,
    blockLength: inp.block_length,
    temperature: inp.temperature,
    cfgScale: inp.cfg_scale,
    remasking: inp.remasking,
    maskId: inp.mask_id,
    vocabSize: inp.vocab_size,
    ...(inp.attention_mask ? { attentionMask: i32(nested(inp.attention_mask)) } : {}),
    draws,
    onStep: (r) => records.push(r),
  });
  const steps = c.outputs.steps as Record<string, unknown>[];
  if (records.length !== steps.length)
    throw new Error(`generate: ${records.length} steps but the reference has ${steps.length}`);
  steps.forEach((s, k) => {
    const r = records[k]!;
    expectExact(`steps[${k}].x_before`, r.xBefore.data, s.x_before);
    expectExact(`steps[${k}].model_input`, r.modelInput.data, s.model_input);
    expectClose(`steps[${k}].model_logits`, r.modelLogits, s.model_logits, f.tolerance);
    expectExact(`steps[${k}].x_after`, r.xAfter.data, s.x_after);
    expectExact(`steps[${k}].newly_unmasked`, r.newlyUnmasked.data, s.newly_unmasked);
  });
  expectExact('final', res.x.data, c.outputs.final);
  if (res.nfe !== steps.length) throw new Error(`generate: nfe ${res.nfe}, expected ${steps.length}`);
};

function promptLengthOf(promptIndex: Nd<Int32Array>): number {
  const p = promptIndex.data.reduce((a, v) => a + v, 0);
  for (let j = 0; j < promptIndex.data.length; j++)
    if (promptIndex.data[j] !== (j < p ? 1 : 0)) throw new Error('prompt_index is not a prefix');
  return p;
}

const forwardProcess: Checker = (c, f) => {
  const batch = i32(nested(c.inputs.batch));
  const perms = (c.inputs.randperms as NestedNumbers[]).map((p) => i32(p).data);
  const draws = replayLikelihoodDraws([c.inputs.randint_k], perms, batch.shape[0]!);
  const res = lladaForwardProcess(batch, promptLengthOf(i32(nested(c.inputs.prompt_index))), c.inputs.mask_id, draws);
  expectExact('noisy_batch', res.noisy.data, c.outputs.noisy_batch);
  expectClose('p_mask', res.pMask.data, c.outputs.p_mask, f.tolerance);
};

const logLikelihood: Checker = (c, f) => {
  const inp = c.inputs;
  const { model } = fakeLladaModel(inp.fake_model);
  const perms = (inp.randperms as NestedNumbers[]).map((p) => i32(p).data);
  const records: {
    perturbedSeq: Nd<Int32Array>;
    pMask: Nd<Float64Array>;
    modelInput: Nd<Int32Array>;
    modelLogits: ArrayLike<number>;
    loss: number;
  }[] = [];
  const res = mcConditionalLogLikelihood(
    model,
    i32(nested(inp.prompt)).data,
    i32(nested(inp.answer)).data,
    {
      mcNum: inp.mc_num,
      batchSize: inp.batch_size,
      cfgScale: inp.cfg_scale,
      maskId: inp.mask_id,
      vocabSize: inp.vocab_size,
      onIteration: (r) => records.push(r),
    },
    replayLikelihoodDraws(inp.randint_k_per_iteration, perms, inp.batch_size),
  );
  const its = c.outputs.iterations as Record<string, unknown>[];
  if (records.length !== its.length)
    throw new Error(`get_log_likelihood: ${records.length} iterations but the reference has ${its.length}`);
  its.forEach((it, j) => {
    const r = records[j]!;
    expectExact(`iterations[${j}].perturbed_seq`, r.perturbedSeq.data, it.perturbed_seq);
    expectClose(`iterations[${j}].p_mask`, r.pMask.data, it.p_mask, f.tolerance);
    expectExact(`iterations[${j}].model_input`, r.modelInput.data, it.model_input);
    expectClose(`iterations[${j}].model_logits`, r.modelLogits, it.model_logits, f.tolerance);
    expectClose(`iterations[${j}].loss`, r.loss, it.loss, f.tolerance);
  });
  expectClose('log_likelihood', res.logLikelihood, c.outputs.log_likelihood, f.tolerance);
};

/** Row-major values of `perToken` at masked positions: the reference's token_loss vector. */
function maskedValues(perToken: Float32Array, masked: Uint8Array): number[] {
  const out: number[] = [];
  masked.forEach((m, i) => m && out.push(perToken[i]!));
  return out;
}

/** The replayed model logits cut to the (possibly truncated) length, as a float32 tensor. */
function replayLogits(c: FixtureCase, b: number, l: number): tf.Tensor3D {
  const full = f64(nested(c.inputs.model_logits));
  const [, lf, v] = full.shape as [number, number, number];
  const out = new Float32Array(b * l * v);
  for (let r = 0; r < b; r++) out.set(full.data.subarray(r * lf * v, r * lf * v + l * v), r * l * v);
  return tf.tensor3d(out, [b, l, v]);
}

function lossCase(c: FixtureCase, f: FixtureFile, sft: boolean): void {
  const inp = c.inputs;
  let ids = i32(nested(inp.input_ids));
  if (!sft) ids = randomLengthTruncate(ids, inp.uniform_random_length_gate, inp.random_length ?? ids.shape[1]!);
  const [b, l] = ids.shape as [number, number];
  const noised = lladaTrainForward(ids, f64(nested(inp.uniform_t)).data, f64(nested(inp.uniform_mask)).data, {
    maskId: inp.mask_id,
    eps: inp.eps,
    ...(sft ? { promptLengths: i32(nested(inp.prompt_lengths)).data } : {}),
  });
  const out = c.outputs;
  if (out.input_ids_used) expectExact('input_ids_used', ids.data, out.input_ids_used);
  expectExact('noisy_batch', noised.noisy.data, out.noisy_batch);
  expectExact('masked_indices', noised.masked.data, out.masked_indices);
  const pMaskFull = new Float64Array(b * l).map((_, i) => noised.pMask[Math.floor(i / l)]!);
  expectClose('p_mask', pMaskFull, out.p_mask, f.tolerance);
  if (out.answer_lengths) {
    const ans = new Float64Array(b * l).map((_, i) =>
      noised.maskable.subarray(Math.floor(i / l) * l, Math.floor(i / l) * l + l).reduce((a, v) => a + v, 0),
    );
    expectExact('answer_lengths', ans, out.answer_lengths);
  }
  const [perToken, loss] = tf.tidy(() => {
    const logits = replayLogits(c, b, l);
    const r = sft ? lladaSftLoss(logits, ids, noised) : lladaPretrainingLoss(logits, ids, noised);
    return [r.perToken.dataSync() as Float32Array, r.loss.dataSync()[0]!] as const;
  });
  expectClose('token_loss', maskedValues(perToken, noised.masked.data), out.token_loss, FLOAT32_TOL);
  expectClose(sft ? 'ce_loss' : 'loss', loss, sft ? out.ce_loss : out.loss, FLOAT32_TOL);
}

export const llada: Dispatcher = {
  file: 'llada.json',
  route(c) {
    const fn = String(c.source?.function ?? '');
    if (c.name.startsWith('get_num_transfer_tokens')) return transferTokens;
    if (c.name.startsWith('add_gumbel_noise')) return gumbel;
    if (c.name.startsWith('generate') && fn.startsWith('generate')) return generate;
    if (c.name.startsWith('forward_process')) return forwardProcess;
    if (c.name.startsWith('get_log_likelihood')) return logLikelihood;
    if (c.name.startsWith('pretraining_loss')) return (cc, f) => lossCase(cc, f, false);
    if (c.name.startsWith('sft_loss')) return (cc, f) => lossCase(cc, f, true);
    return undefined;
  },
};
