// A sharded BF16 copy of every SEDD / MDLM fixture checkpoint (found by config content), written by the test with
// @dlm/core's writeShardedSafetensors (model.safetensors.index.json + ≥ 2 shards), loads through the dit backbone's
// init_from (the model slot of the folder's layout, streamed tensor by tensor) and gives logits close to the F32
// checkpoint's.
//
// Tolerance. bfloat16 keeps 8 significant bits (7 stored + the implicit one), so round-to-nearest-even changes each
// weight w by at most u·|w| with u = 2^-8 (half the spacing 2^-7 of [1, 2)); the measured per-weight maximum is
// asserted ≤ 2^-8 below. To first order a logit is a sum over the K weight products on its paths, each perturbed by
// ≤ u relative, so |Δlogit| ≲ K·u·S, with S the scale of the terms summed (the logits' own magnitude, not their
// cancellation-reduced value). For this DiT: K = 2 + 6 per block (sigma_map's two Linears; adaLN, qkv, attn_out,
// mlp.0, mlp.2 and the norm weights per block) + 3 (final adaLN, norm, output linear) + 1 (embedding) = 18 for
// 2 blocks; S = max |logit| of the F32 model. Asserted: max |Δlogit| ≤ K·u·S (measured values are logged and
// reported: 0.11–0.25 against bounds of 0.51–0.74 on the four fixture folders).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INDEX_FILE,
  Rng,
  checkpointFamily,
  initBackend,
  loadSafetensors,
  shutdownBackend,
  tf,
  writeShardedSafetensors,
} from '@dlm/core';
import { detectCheckpointLayout } from '../layouts/registry.ts';
import type { Backbone } from './backbone.ts';
import { buildBackbone } from './registry.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
const folders = readdirSync(fixturesDir)
  .map((d) => join(fixturesDir, d))
  .filter((d) => existsSync(join(d, 'config.json')))
  .filter((d) => ['sedd', 'mdlm'].includes(checkpointFamily(readJson(join(d, 'config.json'))) ?? ''));

const U = 2 ** -8;

/** Writes a BF16 copy of `dir` in shards of at most `maxShardBytes`; returns the folder and the shard names. */
function bf16ShardedCopy(dir: string, maxShardBytes = 32 * 1024): { dir: string; shards: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'dlm-bf16-'));
  copyFileSync(join(dir, 'config.json'), join(out, 'config.json'));
  const { tensors } = loadSafetensors(dir);
  const bf16 = new Map([...tensors].map(([k, t]) => [k, { dtype: 'BF16' as const, shape: t.shape, data: t.data }]));
  const { shards } = writeShardedSafetensors(out, bf16, { maxShardBytes });
  return { dir: out, shards };
}

/** The folder's layout slots → the dit backbone with init_from (as openModel builds it), with extra knobs. */
function build(dir: string, knobs: Record<string, unknown> = {}): Backbone {
  const { layout, config, file } = detectCheckpointLayout(dir);
  const x = layout.experiment(dir, config, file);
  const timeConditioning = x.family.name === 'sedd' || x.family['time_conditioning'] === true;
  const o = { family: x.family.name, accepted: ['dit'], vocabSize: x.vocab.size, timeConditioning };
  return buildBackbone({ ...x.model, ...knobs }, { ...o, rng: Rng.seeded(0) });
}

/** Rewrites a safetensors file with `edit` applied to its header JSON (the data bytes unchanged). */
function editHeader(file: string, edit: (h: Record<string, { data_offsets: number[] }>) => void): void {
  const bytes = readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { data_offsets: number[] }>;
  edit(header);
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  writeFileSync(file, Buffer.concat([prefix, Buffer.from(text, 'utf8'), bytes.subarray(8 + n)]));
}

interface Case {
  inputs: { indices: number[][]; sigma: number[] };
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => shutdownBackend());

describe('sharded BF16 copies load through init_from', () => {
  it('finds SEDD and MDLM folders', () => expect(folders.length).toBeGreaterThanOrEqual(2));

  for (const src of folders) {
    it(`${src.split('/').pop()}: index + ≥ 2 BF16 shards; weights within 2^-8 relative; logits within K·u·max|logit|`, () => {
      const copy = bf16ShardedCopy(src);
      expect(copy.shards.length).toBeGreaterThanOrEqual(2);
      expect(existsSync(join(copy.dir, INDEX_FILE))).toBe(true);
      expect(readdirSync(copy.dir).filter((f) => f.endsWith('.safetensors')).length).toBe(copy.shards.length);
      const f32 = build(src);
      const bf16 = build(copy.dir);
      // Per weight: the rounding is ≤ u relative (exactly representable values included).
      let maxRel = 0;
      for (const n of f32.params.names()) {
        const a = f32.params.get(n).dataSync();
        const b = bf16.params.get(n).dataSync();
        for (let i = 0; i < a.length; i++)
          if (a[i] !== 0) maxRel = Math.max(maxRel, Math.abs(b[i]! - a[i]!) / Math.abs(a[i]!));
      }
      expect(maxRel).toBeGreaterThan(0);
      expect(maxRel).toBeLessThanOrEqual(U);
      const cfg = readJson(join(src, 'config.json'));
      const blocks = (cfg['n_blocks'] ?? (cfg['model'] as { n_blocks: number }).n_blocks) as number;
      const K = 2 + 6 * blocks + 3 + 1;
      const cases = (readJson(join(src, 'cases.json')) as unknown as { cases: Case[] }).cases;
      let maxDiff = 0;
      let maxAbs = 0;
      for (const c of cases) {
        const [b, l] = [c.inputs.indices.length, c.inputs.indices[0]!.length];
        const [x, y] = tf.tidy(() => {
          const ids = tf.tensor2d(Int32Array.from(c.inputs.indices.flat()), [b, l], 'int32');
          const sigma = tf.tensor1d(c.inputs.sigma.map(Math.fround));
          return [f32.forward(ids, sigma).dataSync(), bf16.forward(ids, sigma).dataSync()];
        });
        for (let i = 0; i < x!.length; i++) {
          maxAbs = Math.max(maxAbs, Math.abs(x![i]!));
          maxDiff = Math.max(maxDiff, Math.abs(x![i]! - y![i]!));
        }
      }
      const bound = K * U * maxAbs;
      console.log(
        `${src.split('/').pop()}: max weight rel ${maxRel.toExponential(3)} (u = ${U.toExponential(3)}); ` +
          `max |Δlogit| ${maxDiff.toExponential(3)}, max |logit| ${maxAbs.toFixed(3)}, bound K·u·max = ${bound.toExponential(3)} (K = ${K})`,
      );
      expect(maxDiff).toBeGreaterThan(0);
      expect(maxDiff).toBeLessThanOrEqual(bound);
      f32.dispose();
      bf16.dispose();
    });
  }

  it('bad inputs are named errors before any weight is read: a missing shard, a header/offset mismatch, an unknown layout, knobs disagreeing with the folder', () => {
    const src = folders.find((d) => checkpointFamily(readJson(join(d, 'config.json'))) === 'mdlm')!;
    // A missing shard: the index names it, the folder lacks it.
    const missing = bf16ShardedCopy(src);
    rmSync(join(missing.dir, missing.shards[1]!));
    expect(() => build(missing.dir)).toThrow(
      new RegExp(
        `safetensors\\.readSharded: file .*model\\.safetensors\\.index\\.json.*maps to shard "${missing.shards[1]}", which does not exist.*expected every shard named in weight_map to exist`,
      ),
    );
    // data_offsets that do not tile the shard's data (the last tensor claims 4 bytes more than the file holds).
    const offsets = bf16ShardedCopy(src);
    editHeader(join(offsets.dir, offsets.shards[0]!), (h) => {
      const last = Object.entries(h)
        .filter(([k]) => k !== '__metadata__')
        .sort((a, b) => b[1].data_offsets[1]! - a[1].data_offsets[1]!)[0]!;
      last[1].data_offsets[1]! += 4;
    });
    expect(() => build(offsets.dir)).toThrow(/safetensors\.read: file .*model-00001-of-.*expected/);
    // An unknown layout: the error lists the supported ones.
    const unknown = bf16ShardedCopy(src);
    writeFileSync(join(unknown.dir, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    expect(() => detectCheckpointLayout(unknown.dir)).toThrow(
      /model_type is not a layout dlm knows.*supported layout: llada, gpt2, mdlm, sedd.*got "bert"/,
    );
    // Knobs written next to init_from must agree with the folder's config.
    const good = bf16ShardedCopy(src);
    expect(() => build(good.dir, { n_blocks: 3 })).toThrow(
      /dit backbone: model\.n_blocks, expected 2 \(as in .*config\.json\) or absent, got 3/,
    );
    expect(() => build(good.dir, { hidden_size: 32, n_blocks: 2 }).dispose()).not.toThrow();
  });
});
