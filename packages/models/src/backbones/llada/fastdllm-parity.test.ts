// Fast-dLLM generation parity: every sampler case (a case with `knobs`) whose `source.repo` is NVlabs/Fast-dLLM
// in every generate file of a LLaDA checkpoint folder (DLM_CHECKPOINT_FIXTURES_DIR, else
// ../shared/fixtures/checkpoints; folders by config model_type, cases by source repo, never by name) is replayed
// with that folder's checkpoint through @dlm/samplers' llada.fastDllmGenerate and this backbone's KV cache
// (fixtures/checkpoints/README.md §7.4–7.7): the returned ids token for token, nfe, and every call's input_ids,
// past_length and replace_range, on cpu and on wasm. The case's `source.function` picks the cache mode and its
// `source.commit` the loop order (24cc59e7: call-first, f6b35ec3: check-first); an unknown one fails.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, initBackend, shutdownBackend, tf } from '@dlm/core';
import { llada } from '@dlm/samplers';
import { lladaKvModel } from './kv-session.ts';
import { LladaModel } from './llada.ts';
import { idsNd, idsRows, lladaGenerationCases } from './testing-generate-cases.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
/** The sampler source this test checks (README §7 table). */
const FAST_DLLM_SOURCE = 'NVlabs/Fast-dLLM';
/** source.function → cache mode (README §7.5–7.7). */
const CACHE_OF_FUNCTION: Record<string, string> = {
  generate: 'none',
  generate_with_prefix_cache: 'prefix',
  generate_with_dual_cache: 'dual',
};
/** source.commit (prefix) → loop order (README §7.6). */
const LOOP_OF_COMMIT: [string, string][] = [
  ['24cc59e7', 'call-first'],
  ['f6b35ec3', 'check-first'],
];

interface Call {
  input_ids: number[][];
  past_length?: number;
  replace_range?: [number, number];
}
interface GenCase {
  name: string;
  source?: { repo?: string; function?: string; commit?: string };
  inputs: { prompt: number[][]; attention_mask?: number[][] };
  knobs: {
    steps: number;
    gen_length: number;
    block_length: number;
    temperature: number;
    remasking: string;
    mask_id: number;
    threshold?: number | null;
    factor?: number | null;
  };
  outputs: { x: number[][]; generated?: number[][]; nfe?: number; model_calls?: number; calls?: Call[] };
}

const folders = lladaGenerationCases<GenCase>(fixturesDir, FAST_DLLM_SOURCE);

/** The sampler options of a case, from its source and knobs. */
function optionsOf(c: GenCase, where: string): { cache: string; loop: string } {
  const cache = CACHE_OF_FUNCTION[c.source?.function ?? ''];
  const loop = LOOP_OF_COMMIT.find(([p]) => (c.source?.commit ?? '').startsWith(p))?.[1];
  if (!cache) throw new Error(`${where}: unknown Fast-dLLM function ${c.source?.function}`);
  if (!loop) throw new Error(`${where}: unknown Fast-dLLM commit ${c.source?.commit}`);
  return { cache, loop };
}

afterAll(async () => {
  await shutdownBackend();
});

describe(`LLaDA Fast-dLLM generate parity, ${FAST_DLLM_SOURCE} cases (${fixturesDir})`, () => {
  it('finds LLaDA folders with Fast-dLLM generate cases', () => {
    expect(folders.reduce((n, f) => n + f.cases.length, 0)).toBeGreaterThan(0);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const folder of folders) {
      if (folder.cases.length === 0) continue;
      const title = `${folder.name} on ${backend}: ${folder.cases.length} cases token for token, nfe, call inputs`;
      it(title, async () => {
        if (!(await availableBackends()).includes(backend)) throw new Error(`backend ${backend} unavailable`);
        await initBackend({ backend, log: () => {} });
        const { model, info } = LladaModel.fromCheckpoint(folder.dir);
        const kv = lladaKvModel(model);
        const byMode = new Map<string, number>();
        try {
          const before = tf.memory().numTensors;
          for (const { file, c } of folder.cases) {
            const where = `${folder.name}/${file} ${c.name} (${backend})`;
            const k = c.knobs;
            expect(k.temperature, `${where}: deterministic cases only`).toBe(0);
            expect(k.remasking, `${where}: Fast-dLLM remasks by low confidence`).toBe('low_confidence');
            expect(c.inputs.attention_mask, `${where}: Fast-dLLM's model takes no attention mask`).toBeUndefined();
            const { cache, loop } = optionsOf(c, where);
            const prompt = idsNd(c.inputs.prompt);
            const calls: Call[] = [];
            const res = llada.fastDllmGenerate(kv, prompt, {
              steps: k.steps,
              genLength: k.gen_length,
              blockLength: k.block_length,
              maskId: k.mask_id,
              vocabSize: info.options.vocabSize,
              cache,
              loop,
              threshold: k.threshold ?? undefined,
              factor: k.factor ?? undefined,
              temperature: k.temperature,
              onCall: (r) =>
                calls.push({
                  input_ids: idsRows(r.inputIds),
                  past_length: r.pastLength,
                  ...(r.replaceRange ? { replace_range: r.replaceRange } : {}),
                }),
            });
            const x = idsRows(res.x);
            const p = prompt.shape[1]!;
            expect(c.outputs.calls, `${where}: the case records its calls`).toBeDefined();
            // The first diverging call names the call where the sampler or the cached model differs.
            c.outputs.calls!.forEach((call, t) => {
              expect(calls[t]?.input_ids, `${where}: call ${t} input_ids`).toEqual(call.input_ids);
              expect(calls[t]?.past_length, `${where}: call ${t} past_length`).toBe(call.past_length ?? 0);
              expect(calls[t]?.replace_range, `${where}: call ${t} replace_range`).toEqual(call.replace_range);
            });
            expect(calls.length, `${where}: calls`).toBe(c.outputs.calls!.length);
            expect(x, `${where}: x`).toEqual(c.outputs.x);
            if (c.outputs.generated) {
              expect(
                x.map((r) => r.slice(p)),
                `${where}: generated`,
              ).toEqual(c.outputs.generated);
            }
            expect(c.outputs.nfe, `${where}: the case records nfe`).toBeDefined();
            expect(res.nfe, `${where}: nfe`).toBe(c.outputs.nfe);
            if (c.outputs.model_calls !== undefined)
              expect(res.nfe, `${where}: model_calls`).toBe(c.outputs.model_calls);
            const key = `${cache}/${loop}`;
            byMode.set(key, (byMode.get(key) ?? 0) + 1);
          }
          expect(tf.memory().numTensors, 'no tensor left behind').toBe(before);
        } finally {
          model.dispose();
        }
        const modes = [...byMode].map(([m, n]) => `${m} ${n}`).join(', ');
        console.log(`Fast-dLLM generate ${folder.name} on ${backend}: ${folder.cases.length} cases (${modes})`);
      });
    }
  }
});
