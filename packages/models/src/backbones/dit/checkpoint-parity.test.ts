// Checkpoint parity: every SEDD / MDLM folder of the reference checkpoint fixtures
// (DLM_CHECKPOINT_FIXTURES_DIR, else ../shared/fixtures/checkpoints from the repo root) is built
// from its config.json + model.safetensors alone and checked against every case of cases.json:
//   SEDD: SEDD.forward = DiT logits → scale_by_sigma (absorb) → scatter 0 at the input token;
//   MDLM: DIT.forward logits, and SUBS log-probs (@dlm/losses subsLogProbs, mask = V − 1).
// Folders are routed by their config (checkpointFamily: model_type / graph), never by folder name;
// LLaDA and GPT-2 folders are named in a test as covered by backbones/llada/ and backbones/gpt2/
// checkpoint-parity.test.ts, other families must be in @dlm/core's pending fixture list. Tolerance: the fixture's own
// `tolerance` (README: rtol 1e-4, atol 1e-4), on cpu and on wasm.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertAllClose,
  availableBackends,
  checkpointFamily,
  describePending,
  initBackend,
  pendingCheckpointModel,
  shutdownBackend,
  tf,
} from '@dlm/core';
import { subsLogProbs } from '@dlm/losses';
import { loadReferenceDit } from './reference-configs.ts';
import { seddLogScore } from './sedd-log-score.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');

interface Case {
  name: string;
  inputs: { indices: number[][]; sigma: number[] };
  outputs: Record<string, number[][][]>;
}
interface CasesFile {
  tolerance: { rtol: number; atol: number };
  cases: Case[];
}

function kindOf(folder: string): string {
  return checkpointFamily(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'))) ?? 'unknown';
}

const folders = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(fixturesDir, d.name, 'config.json')))
      .map((d) => ({ name: d.name, kind: kindOf(join(fixturesDir, d.name)) }))
      .sort((a, b) => a.name.localeCompare(b.name))
  : [];
const dit = folders.filter((f) => f.kind === 'sedd' || f.kind === 'mdlm');
const llada = folders.filter((f) => f.kind === 'llada').map((f) => f.name);
const gpt2 = folders.filter((f) => f.kind === 'gpt2').map((f) => f.name);
const others = folders.filter((f) => !['sedd', 'mdlm', 'llada', 'gpt2'].includes(f.kind));

const flat = (x: number[][][]) => Float64Array.from(x.flat(2), Math.fround);

afterAll(async () => {
  await shutdownBackend();
});

describe(`DiT checkpoint parity (${fixturesDir})`, () => {
  it('finds SEDD and MDLM folders; every other folder is covered elsewhere or pending', () => {
    expect(dit.map((f) => f.kind)).toEqual(expect.arrayContaining(['sedd', 'mdlm']));
    const unrouted = others.filter((f) => !pendingCheckpointModel(f.kind)).map((f) => `${f.name} (${f.kind})`);
    expect(unrouted, 'checkpoint folders neither covered nor in the pending fixture list').toEqual([]);
    for (const f of others) console.log(describePending(pendingCheckpointModel(f.kind)!, f.name));
  });

  it(`not run here (covered by backbones/llada/checkpoint-parity.test.ts): ${llada.join(', ') || 'none'}`, () => {
    expect(llada.every((n) => folders.some((f) => f.name === n && f.kind === 'llada'))).toBe(true);
  });

  it(`not run here (covered by backbones/gpt2/checkpoint-parity.test.ts): ${gpt2.join(', ') || 'none'}`, () => {
    expect(gpt2.every((n) => folders.some((f) => f.name === n && f.kind === 'gpt2'))).toBe(true);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const folder of dit) {
      it(`${folder.name} (${folder.kind}) on ${backend}: every case`, async () => {
        if (!(await availableBackends()).includes(backend)) throw new Error(`backend ${backend} unavailable`);
        await initBackend({ backend, log: () => {} });
        const dir = join(fixturesDir, folder.name);
        const file = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as CasesFile;
        const { rtol, atol } = file.tolerance;
        const ref = loadReferenceDit(dir);
        expect(ref.family).toBe(folder.kind);
        const before = tf.memory().numTensors;
        expect(file.cases.length).toBeGreaterThan(0);
        for (const c of file.cases) {
          const [b, l] = [c.inputs.indices.length, c.inputs.indices[0]!.length];
          const idx = Int32Array.from(c.inputs.indices.flat());
          const sigma = c.inputs.sigma.map(Math.fround);
          const got = tf.tidy(() => {
            const ids = tf.tensor2d(idx, [b, l], 'int32');
            const logits = ref.model.forward(ids, tf.tensor1d(sigma));
            if (ref.family === 'sedd')
              return { logits: seddLogScore(logits, ids, sigma, { scaleBySigma: ref.info.scaleBySigma }) };
            return { logits, subs_log_probs: subsLogProbs(logits, { data: idx, shape: [b, l] }, ref.info.maskId) };
          });
          const outs = Object.keys(c.outputs);
          expect(outs.sort()).toEqual(Object.keys(got).sort());
          for (const key of outs) {
            const t = got[key as keyof typeof got]!;
            assertAllClose(
              `${folder.name} ${c.name} ${key} (${backend})`,
              t.dataSync(),
              flat(c.outputs[key]!),
              rtol,
              atol,
            );
          }
          tf.dispose(Object.values(got));
        }
        expect(tf.memory().numTensors).toBe(before);
        ref.model.dispose();
      });
    }
  }
});
