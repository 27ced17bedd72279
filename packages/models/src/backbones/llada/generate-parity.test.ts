// LLaDA generation parity: every sampler case (a case with `knobs`) whose `source.repo` is
// ML-GSAI/LLaDA in every generate file of a LLaDA checkpoint folder (DLM_CHECKPOINT_FIXTURES_DIR, else
// ../shared/fixtures/checkpoints; folders by config model_type, cases by source repo, never by name)
// is replayed with that folder's checkpoint through @dlm/samplers' llada.generate
// (fixtures/checkpoints/README.md §7.3): the returned ids `x` / `generated` token for token, the
// number of model calls, and every call's input ids ([2B, L] with CFG), on cpu and on wasm.
// NVlabs/Fast-dLLM cases are checked by fastdllm-parity.test.ts (routing: backbones/checkpoint-fixtures.test.ts).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, initBackend, shutdownBackend, tf } from '@dlm/core';
import { llada } from '@dlm/samplers';
import { LladaModel } from './llada.ts';
import { idsNd, idsRows, lladaGenerationCases } from './testing-generate-cases.ts';
import { lladaMaskPredictor } from './mask-predictor.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
/** The sampler source this test checks (README §7 table). */
const LLADA_GENERATE_SOURCE = 'ML-GSAI/LLaDA';

interface GenCase {
  name: string;
  source?: { repo?: string };
  inputs: { prompt: number[][]; attention_mask?: number[][] };
  knobs: {
    steps: number;
    gen_length: number;
    block_length: number;
    temperature: number;
    remasking: string;
    mask_id: number;
    cfg_scale?: number;
  };
  outputs: {
    x: number[][];
    generated?: number[][];
    model_calls?: number;
    calls?: { input_ids: number[][] }[];
    x_if_attention_mask_ignored?: number[][];
  };
}

const folders = lladaGenerationCases<GenCase>(fixturesDir, LLADA_GENERATE_SOURCE);

afterAll(async () => {
  await shutdownBackend();
});

describe(`LLaDA generate parity, ${LLADA_GENERATE_SOURCE} cases (${fixturesDir})`, () => {
  it('finds LLaDA folders with ML-GSAI/LLaDA generate cases', () => {
    expect(folders.reduce((n, f) => n + f.cases.length, 0)).toBeGreaterThan(0);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const folder of folders) {
      if (folder.cases.length === 0) continue;
      const title = `${folder.name} on ${backend}: ${folder.cases.length} cases token for token, call inputs, no leaks`;
      it(title, async () => {
        if (!(await availableBackends()).includes(backend)) throw new Error(`backend ${backend} unavailable`);
        await initBackend({ backend, log: () => {} });
        const { model, info } = LladaModel.fromCheckpoint(folder.dir);
        const predict = lladaMaskPredictor(model);
        let withMask = 0;
        let withCfg = 0;
        try {
          const before = tf.memory().numTensors;
          for (const { file, c } of folder.cases) {
            const where = `${folder.name}/${file} ${c.name} (${backend})`;
            const k = c.knobs;
            expect(k.temperature, `${where}: deterministic cases only`).toBe(0);
            const prompt = idsNd(c.inputs.prompt);
            const inputs: number[][][] = [];
            const res = llada.generate(predict, prompt, {
              steps: k.steps,
              genLength: k.gen_length,
              blockLength: k.block_length,
              temperature: k.temperature,
              cfgScale: k.cfg_scale ?? 0,
              remasking: k.remasking,
              maskId: k.mask_id,
              vocabSize: info.options.vocabSize,
              ...(c.inputs.attention_mask ? { attentionMask: idsNd(c.inputs.attention_mask) } : {}),
              onStep: (r) => inputs.push(idsRows(r.modelInput)),
            });
            const x = idsRows(res.x);
            const p = prompt.shape[1]!;
            if (c.outputs.calls) {
              expect(inputs.length, `${where}: calls`).toBe(c.outputs.calls.length);
              // The first diverging call names the step where the sampler or the model differs.
              c.outputs.calls.forEach((call, t) => {
                expect(inputs[t], `${where}: call ${t} input_ids`).toEqual(call.input_ids);
              });
            }
            expect(x, `${where}: x`).toEqual(c.outputs.x);
            if (c.outputs.generated) {
              expect(
                x.map((r) => r.slice(p)),
                `${where}: generated`,
              ).toEqual(c.outputs.generated);
            }
            if (c.outputs.model_calls !== undefined) {
              expect(res.nfe, `${where}: model_calls`).toBe(c.outputs.model_calls);
            }
            if (c.inputs.attention_mask?.flat().includes(0)) {
              withMask++;
              // The padding mask changes the ids, so matching `x` proves the mask reached the model.
              const ignored = c.outputs.x_if_attention_mask_ignored;
              if (ignored) expect(x, where).not.toEqual(ignored);
            }
            if ((k.cfg_scale ?? 0) > 0) withCfg++;
          }
          expect(tf.memory().numTensors).toBe(before);
        } finally {
          model.dispose();
        }
        const n = folder.cases.length;
        console.log(`LLaDA generate ${folder.name} on ${backend}: ${n} cases, ${withMask} left-padded, ${withCfg} CFG`);
      });
    }
  }
});
