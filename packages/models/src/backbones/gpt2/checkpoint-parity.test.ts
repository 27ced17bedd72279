// GPT-2 checkpoint parity: every folder of the reference checkpoint fixtures (DLM_CHECKPOINT_FIXTURES_DIR,
// else ../shared/fixtures/checkpoints from the repo root) whose config.json says `model_type: "gpt2"` (never
// by folder name) is built from config.json + model.safetensors alone and checked against every case of its
// cases.json (README §8: GPT2LMHeadModel(input_ids).logits): the logits at the case's vocab_ids, logsumexp
// over the full vocabulary, token_logprobs and sequence_nll (teacher forcing), argmax where the top-2
// margin is ≥ 1e-3, and that margin. Tolerance: the fixture's own `tolerance`, on cpu and on wasm.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, checkpointFamily, closeReport, initBackend, shutdownBackend, tf } from '@dlm/core';
import { Gpt2Model } from './gpt2.ts';
import { logSumExp, sequenceNll, teacherForcedLogProbs } from './teacher-forcing.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');

interface Case {
  name: string;
  inputs: { input_ids: number[][] };
  vocab_ids: number[];
  outputs: {
    logits_at_vocab_ids: number[][][];
    logsumexp: number[][];
    token_logprobs: number[][];
    sequence_nll: number[];
    argmax: number[][];
    argmax_margin: number[][];
  };
}
interface CasesFile {
  tolerance?: { rtol: number; atol: number };
  cases: Case[];
}

const isGpt2 = (dir: string) => checkpointFamily(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))) === 'gpt2';
const folders = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter(
        (d) =>
          d.isDirectory() && existsSync(join(fixturesDir, d.name, 'config.json')) && isGpt2(join(fixturesDir, d.name)),
      )
      .map((d) => d.name)
      .sort()
  : [];

/** Worst |got − want| / (atol + rtol·|want|) over every compared output, per backend. */
const worst: Record<string, { ratio: number; where: string }> = {};
const MARGIN = 1e-3;

afterAll(async () => {
  for (const [backend, w] of Object.entries(worst))
    console.log(`GPT-2 parity ${backend}: worst error ratio ${w.ratio.toExponential(3)} (${w.where})`);
  await shutdownBackend();
});

describe(`GPT-2 checkpoint parity (${fixturesDir})`, () => {
  it('finds at least one GPT-2 folder (by config model_type)', () => {
    expect(folders.length).toBeGreaterThan(0);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const folder of folders) {
      it(`${folder} on ${backend}: every case, no leaked tensors`, async () => {
        if (!(await availableBackends()).includes(backend)) throw new Error(`backend ${backend} unavailable`);
        await initBackend({ backend, log: () => {} });
        const dir = join(fixturesDir, folder);
        const file = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as CasesFile;
        const { rtol, atol } = file.tolerance ?? { rtol: 1e-4, atol: 1e-4 };
        const { model } = Gpt2Model.fromCheckpoint(dir);
        expect(file.cases.length).toBeGreaterThan(0);
        const check = (name: string, got: ArrayLike<number>, want: number[]) => {
          expect(got.length, `${name}: size`).toBe(want.length);
          const r = closeReport(got, Float64Array.from(want, Math.fround), rtol, atol);
          const w = worst[backend];
          if (!w || r.ratio > w.ratio) worst[backend] = { ratio: r.ratio, where: `${folder} ${name}` };
          expect(
            r.ratio,
            `${name} (${backend}): worst at ${r.index}: got ${r.got}, want ${r.want}`,
          ).toBeLessThanOrEqual(1);
        };
        let argmaxChecked = 0;
        try {
          const before = tf.memory().numTensors;
          for (const c of file.cases) {
            const ids = c.inputs.input_ids;
            const [b, l] = [ids.length, ids[0]!.length];
            const x = tf.tensor2d(Int32Array.from(ids.flat()), [b, l], 'int32');
            const logits = model.logits(x);
            try {
              const v = model.options.vocabSize;
              expect(logits.shape).toEqual([b, l, v]);
              // Host reductions over the full vocabulary (float64): stored logits, logsumexp, top-2.
              const all = logits.dataSync();
              const atIds: number[] = [];
              const lse: number[] = [];
              const margins: number[] = [];
              const arg: number[] = [];
              for (let i = 0; i < b * l; i++) {
                for (const id of c.vocab_ids) atIds.push(all[i * v + id]!);
                lse.push(logSumExp(all, i * v, v));
                let [best, second, at] = [-Infinity, -Infinity, -1];
                for (let j = 0; j < v; j++) {
                  const z = all[i * v + j]!;
                  if (z > best) [second, best, at] = [best, z, j];
                  else if (z > second) second = z;
                }
                margins.push(best - second);
                arg.push(at);
              }
              const lp = teacherForcedLogProbs(logits, x);
              check(`${c.name} logits_at_vocab_ids`, atIds, c.outputs.logits_at_vocab_ids.flat(2));
              check(`${c.name} logsumexp`, lse, c.outputs.logsumexp.flat());
              check(`${c.name} token_logprobs`, lp.flat(), c.outputs.token_logprobs.flat());
              check(`${c.name} sequence_nll`, sequenceNll(lp), c.outputs.sequence_nll);
              check(`${c.name} argmax_margin`, margins, c.outputs.argmax_margin.flat());
              const wantArg = c.outputs.argmax.flat();
              c.outputs.argmax_margin.flat().forEach((m, i) => {
                if (m < MARGIN) return;
                argmaxChecked++;
                expect(arg[i], `${c.name} argmax at ${i} (margin ${m})`).toBe(wantArg[i]);
              });
            } finally {
              tf.dispose([x, logits]);
            }
          }
          expect(tf.memory().numTensors).toBe(before);
        } finally {
          model.dispose();
        }
        expect(argmaxChecked).toBeGreaterThan(500);
      }, 600_000); // the 512-position case's tied head (512×32×50257) takes ~10 s of CPU on the cpu backend
    }
  }
});
