// LLaDA checkpoint parity: every folder of the reference checkpoint fixtures
// (DLM_CHECKPOINT_FIXTURES_DIR, else ../shared/fixtures/checkpoints from the repo root) whose
// config.json says `model_type: "llada"` (never by folder name) is built from config.json +
// model.safetensors alone and checked against every case of its cases.json (README §5):
//   logits = LLaDAModelLM.forward(input_ids, attention_mask).logits;
//   logits_if_attention_mask_ignored = the same forward without the mask (Fast-dLLM copy).
// Tolerance: the fixture's own `tolerance` (else rtol 1e-4 / atol 1e-5), on cpu and on wasm.
// The SEDD/MDLM folders are covered by backbones/dit/checkpoint-parity.test.ts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, closeReport, initBackend, shutdownBackend, tf } from '@dlm/core';
import { LladaModel } from './llada.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');

interface Case {
  name: string;
  inputs: { input_ids: number[][]; attention_mask?: number[][] };
  outputs: Record<string, number[][][]>;
}
interface CasesFile {
  tolerance?: { rtol: number; atol: number };
  cases: Case[];
}

const isLlada = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>).model_type === 'llada';
const folders = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter(
        (d) =>
          d.isDirectory() && existsSync(join(fixturesDir, d.name, 'config.json')) && isLlada(join(fixturesDir, d.name)),
      )
      .map((d) => d.name)
      .sort()
  : [];

const flat = (x: number[][][]) => Float64Array.from(x.flat(2), Math.fround);
/** Worst |got − want| / (atol + rtol·|want|) over every compared output, per backend. */
const worst: Record<string, { ratio: number; where: string }> = {};

afterAll(async () => {
  for (const [backend, w] of Object.entries(worst))
    console.log(`LLaDA parity ${backend}: worst error ratio ${w.ratio.toExponential(3)} (${w.where})`);
  await shutdownBackend();
});

describe(`LLaDA checkpoint parity (${fixturesDir})`, () => {
  it('finds at least one LLaDA folder (by config model_type)', () => {
    expect(folders.length).toBeGreaterThan(0);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const folder of folders) {
      it(`${folder} on ${backend}: every case, no leaked tensors`, async () => {
        if (!(await availableBackends()).includes(backend)) throw new Error(`backend ${backend} unavailable`);
        await initBackend({ backend, log: () => {} });
        const dir = join(fixturesDir, folder);
        const file = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as CasesFile;
        const { rtol, atol } = file.tolerance ?? { rtol: 1e-4, atol: 1e-5 };
        const { model } = LladaModel.fromCheckpoint(dir);
        expect(file.cases.length).toBeGreaterThan(0);
        let checkedMasked = 0;
        try {
          const before = tf.memory().numTensors;
          for (const c of file.cases) {
            const ids = c.inputs.input_ids;
            const [b, l] = [ids.length, ids[0]!.length];
            const mask = c.inputs.attention_mask;
            const got = tf.tidy(() => {
              const x = tf.tensor2d(Int32Array.from(ids.flat()), [b, l], 'int32');
              const out: Record<string, tf.Tensor> = {};
              out['logits'] = model.forward(
                x,
                mask ? { attentionMask: tf.tensor2d(Float32Array.from(mask.flat()), [b, l]) } : {},
              );
              // The mask-ignored variant is only recorded for masked cases: the unmasked forward.
              if (mask) out['logits_if_attention_mask_ignored'] = model.forward(x);
              return out;
            });
            try {
              expect(Object.keys(c.outputs).sort(), `${c.name}: output keys`).toEqual(Object.keys(got).sort());
              for (const key of Object.keys(c.outputs)) {
                const want = flat(c.outputs[key]!);
                const t = got[key]!;
                expect(t.shape).toEqual([b, l, c.outputs[key]![0]![0]!.length]);
                const r = closeReport(t.dataSync(), want, rtol, atol);
                const w = worst[backend];
                if (!w || r.ratio > w.ratio) worst[backend] = { ratio: r.ratio, where: `${folder} ${c.name} ${key}` };
                expect(
                  r.ratio,
                  `${folder} ${c.name} ${key} (${backend}): worst at ${r.index}: got ${r.got}, want ${r.want}`,
                ).toBeLessThanOrEqual(1);
              }
            } finally {
              tf.dispose(Object.values(got));
            }
            if (mask) {
              checkedMasked++;
              // The mask has a real effect (otherwise the masked check proves nothing).
              expect(mask.flat().some((m) => m === 0)).toBe(true);
            }
          }
          expect(tf.memory().numTensors).toBe(before);
        } finally {
          model.dispose();
        }
        expect(checkedMasked).toBeGreaterThan(0);
      });
    }
  }
});
