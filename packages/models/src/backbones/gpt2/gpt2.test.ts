import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  Rng,
  ShapeError,
  checkpointFamily,
  crossEntropy,
  initBackend,
  tf,
  tensorCountDelta,
  type StateTensor,
} from '@dlm/core';
import { Gpt2Model } from './gpt2.ts';
import type { Gpt2KvCache } from './kv-cache.ts';
import { teacherForcedLogProbs } from './teacher-forcing.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
/** The first fixture folder whose config says model_type gpt2 (never found by folder name). */
const fixtureFolder = existsSync(fixturesDir)
  ? readdirSync(fixturesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(fixturesDir, d.name, 'config.json')))
      .map((d) => join(fixturesDir, d.name))
      .sort()
      .find((dir) => checkpointFamily(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))) === 'gpt2')
  : undefined;

const tiny = { vocabSize: 97, hidden: 32, heads: 4, layers: 2, maxPositions: 24 };
const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
const host = (t: tf.Tensor) => {
  const a = Array.from(t.dataSync());
  t.dispose();
  return a;
};
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
/** |a − b| ≤ atol + rtol·|b| everywhere (float32 tolerance rtol = atol = 1e-4). */
const close = (a: number[], b: number[], tol = 1e-4) =>
  a.every((v, i) => Math.abs(v - b[i]!) <= tol + tol * Math.abs(b[i]!));
/** logits[row, pos, :] of a [B, L, V] tensor. */
const at = (t: tf.Tensor, row: number, pos: number) =>
  host(tf.tidy(() => tf.slice(t, [row, pos, 0], [1, 1, t.shape[2]!])));

describe('Gpt2Model parameters', () => {
  it('uses the published model.safetensors names and Conv1D (in, out) shapes', () => {
    const m = new Gpt2Model(tiny, Rng.seeded(1));
    const shapes = Object.fromEntries(m.params.names().map((n) => [n, [...m.params.get(n).shape]]));
    const [V, D, P, F] = [97, 32, 24, 128];
    const want: Record<string, number[]> = {
      'wte.weight': [V, D],
      'wpe.weight': [P, D],
      'ln_f.weight': [D],
      'ln_f.bias': [D],
    };
    for (const i of [0, 1]) {
      const b = `h.${i}`;
      Object.assign(want, {
        [`${b}.ln_1.weight`]: [D],
        [`${b}.ln_1.bias`]: [D],
        [`${b}.ln_2.weight`]: [D],
        [`${b}.ln_2.bias`]: [D],
        [`${b}.attn.c_attn.weight`]: [D, 3 * D],
        [`${b}.attn.c_attn.bias`]: [3 * D],
        [`${b}.attn.c_proj.weight`]: [D, D],
        [`${b}.attn.c_proj.bias`]: [D],
        [`${b}.mlp.c_fc.weight`]: [D, F],
        [`${b}.mlp.c_fc.bias`]: [F],
        [`${b}.mlp.c_proj.weight`]: [F, D],
        [`${b}.mlp.c_proj.bias`]: [D],
      });
    }
    expect(shapes).toEqual(want);
    m.dispose();
  });

  it("GPT-2's init: same seed same values; biases 0, LayerNorms 1, residual projections / √(2·n_layer)", () => {
    const [a, b] = [new Gpt2Model(tiny, Rng.seeded(2)), new Gpt2Model(tiny, Rng.seeded(2))];
    for (const n of a.params.names()) expect(host(b.params.get(n).clone()), n).toEqual(host(a.params.get(n).clone()));
    const std = (n: string) => {
      const v = Array.from(a.params.get(n).dataSync());
      return Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
    };
    expect(Math.abs(std('wte.weight') - 0.02)).toBeLessThan(0.002);
    expect(Math.abs(std('h.0.mlp.c_proj.weight') - 0.01)).toBeLessThan(0.001); // 0.02/√4
    expect(
      a.params
        .get('h.1.attn.c_attn.bias')
        .dataSync()
        .every((x) => x === 0),
    ).toBe(true);
    expect(
      a.params
        .get('ln_f.weight')
        .dataSync()
        .every((x) => x === 1),
    ).toBe(true);
    [a, b].forEach((m) => m.dispose());
  });

  it('loads the published and the save_pretrained layout (transformer. + tied lm_head), checks attn.bias', () => {
    const a = new Gpt2Model(tiny, Rng.seeded(3), { initStd: 0.3 });
    const b = new Gpt2Model(tiny, Rng.seeded(4));
    const x = ids([[5, 9, 96, 0, 41]]);
    const want = host(a.logits(x));
    const P = tiny.maxPositions;
    const tri = Float32Array.from({ length: P * P }, (_, i) => (i % P <= Math.floor(i / P) ? 1 : 0));
    const dict = new Map<string, StateTensor>(a.params.stateDict());
    for (const i of [0, 1]) dict.set(`h.${i}.attn.bias`, { shape: [1, 1, P, P], data: tri });
    b.load(dict);
    expect(host(b.logits(x))).toEqual(want);

    const hf = new Map<string, StateTensor>([...a.params.stateDict()].map(([k, t]) => [`transformer.${k}`, t]));
    hf.set('lm_head.weight', a.params.stateDict().get('wte.weight')!);
    hf.set('transformer.h.0.attn.masked_bias', { shape: [], data: Float32Array.from([-1e4]) });
    const c = new Gpt2Model(tiny, Rng.seeded(5));
    c.load(hf);
    expect(host(c.logits(x))).toEqual(want);

    const untied = new Map(hf);
    untied.set('lm_head.weight', { shape: [97, 32], data: new Float32Array(97 * 32) });
    expect(() => c.load(untied)).toThrow(/lm_head.weight.*untied head/);
    const badMask = new Map(dict);
    badMask.set('h.1.attn.bias', { shape: [1, 1, P, P], data: new Float32Array(P * P).fill(1) });
    expect(() => c.load(badMask)).toThrow(/h\.1\.attn\.bias.*lower-triangular/);
    const missing = new Map(dict);
    missing.delete('h.1.mlp.c_fc.bias');
    expect(() => c.load(missing)).toThrow(CheckpointError);
    tf.dispose(x);
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('Gpt2Model forward', () => {
  it('is causal, leaks no tensors, and gradients reach every parameter', () => {
    const m = new Gpt2Model(tiny, Rng.seeded(6), { initStd: 0.3 });
    const x = ids([[3, 14, 15, 92, 65, 35]]);
    const y = ids([[3, 14, 15, 1, 65, 35]]);
    const [lx, ly] = [m.logits(x), m.logits(y)];
    expect(maxDiff(host(tf.slice(lx, [0, 0, 0], [1, 3, 97])), host(tf.slice(ly, [0, 0, 0], [1, 3, 97])))).toBe(0);
    expect(maxDiff(at(lx, 0, 3), at(ly, 0, 3))).toBeGreaterThan(1e-3);
    tf.dispose([lx, ly]);
    const forwardAndFree = () => {
      const o = m.forward(x);
      tf.dispose(o.logits);
      o.past.dispose();
    };
    expect(tensorCountDelta(forwardAndFree)).toBe(0);
    const targets = ids([[14, 15, 92, 65, 35, 0]]);
    const { value, grads } = m.params.valueAndGrads(() => crossEntropy(m.logits(x), targets) as tf.Scalar);
    expect([...grads.keys()].sort()).toEqual(m.params.names().sort());
    for (const [n, g] of grads) expect(Math.max(...Array.from(g.dataSync(), Math.abs)), n).toBeGreaterThan(0);
    tf.dispose([value, ...grads.values(), x, y, targets]);
    m.dispose();
  });

  it('forward = the tied head (wte) applied to forwardHidden', () => {
    const m = new Gpt2Model(tiny, Rng.seeded(11), { initStd: 0.3 });
    const x = ids([[1, 50, 3]]);
    const { hidden, past } = m.forwardHidden(x);
    expect(hidden.shape).toEqual([1, 3, 32]);
    expect(m.outputHead().weight).toBe(m.params.get('wte.weight'));
    const viaHead = host(tf.tidy(() => tf.matMul(tf.reshape(hidden, [3, 32]), m.outputHead().weight, false, true)));
    expect(maxDiff(viaHead, host(m.logits(x)))).toBeLessThan(1e-6);
    tf.dispose([x, hidden]);
    past.dispose();
    m.dispose();
  });

  it('rejects inputs beyond n_positions and masks of the wrong shape, naming them', () => {
    const m = new Gpt2Model(tiny, Rng.seeded(7));
    const x = ids([Array.from({ length: 25 }, (_, i) => i)]);
    expect(() => m.forward(x)).toThrow(/n_positions 24/);
    const y = ids([[1, 2, 3]]);
    expect(() => m.forward(y, { attentionMask: tf.ones([1, 2]) })).toThrow(/attentionMask, expected \[1, 3\]/);
    expect(() => m.forward(tf.tensor2d([[1, 2]]))).toThrow(ShapeError);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('left padding + attention mask: the real positions give the logits and log-probs of the prompt alone', () => {
    const m = new Gpt2Model(tiny, Rng.seeded(8), { initStd: 0.3 });
    const long = [7, 21, 33, 4, 80, 11];
    const short = [50, 2, 90];
    const padded = ids([long, [0, 0, 0, ...short]]);
    const mask = tf.tensor2d([
      [1, 1, 1, 1, 1, 1],
      [0, 0, 0, 1, 1, 1],
    ]);
    const batch = m.logits(padded, { attentionMask: mask });
    const alone = m.logits(ids([short]));
    const aloneLong = m.logits(ids([long]));
    for (let t = 0; t < 3; t++) expect(close(at(batch, 1, 3 + t), at(alone, 0, t)), `short position ${t}`).toBe(true);
    for (let t = 0; t < 6; t++) expect(close(at(batch, 0, t), at(aloneLong, 0, t)), `long position ${t}`).toBe(true);
    // Without the mask (or with unshifted positions) the padded row is a different sequence.
    const unmasked = m.logits(padded);
    expect(maxDiff(at(unmasked, 1, 5), at(alone, 0, 2))).toBeGreaterThan(1e-3);
    // Teacher forcing counts the real pairs only: the prompt's own log-probs.
    const lpBatch = teacherForcedLogProbs(batch, padded, mask);
    const lpAlone = teacherForcedLogProbs(alone, ids([short]));
    expect(lpBatch[1]!.length).toBe(2);
    expect(lpBatch[0]!.length).toBe(5);
    expect(maxDiff(lpBatch[1]!, lpAlone[0]!)).toBeLessThan(1e-4);
    tf.dispose([batch, alone, aloneLong, unmasked, padded, mask]);
    m.dispose();
  });
});

/**
 * Greedy decoding of `steps` tokens after a left-padded prompt, with the cache (one token per call) and
 * without (the whole sequence each call). Both continue with the uncached choice, so a near-tie cannot
 * desynchronise them; returns the worst logit mismatch ratio and the count of compared / matching argmaxes.
 */
function decodeBothWays(m: Gpt2Model, prompts: number[][], steps: number) {
  const width = Math.max(...prompts.map((p) => p.length));
  const rows = prompts.map((p) => [...new Array<number>(width - p.length).fill(0), ...p]);
  const mask = prompts.map((p) => [
    ...new Array<number>(width - p.length).fill(0),
    ...new Array<number>(p.length).fill(1),
  ]);
  const b = prompts.length;
  const report = { worst: 0, compared: 0, same: 0 };
  const [x0, mask0] = [ids(rows), tf.tensor2d(mask)];
  const first = m.forward(x0, { attentionMask: mask0 });
  tf.dispose([x0, mask0]);
  let past: Gpt2KvCache = first.past;
  let cachedLast = tf.tidy(() => tf.slice(first.logits, [0, width - 1, 0], [b, 1, -1]));
  first.logits.dispose();
  for (let s = 0; s < steps; s++) {
    const full = tf.tidy(() => m.logits(ids(rows), { attentionMask: tf.tensor2d(mask) }));
    const uncached = host(tf.slice(full, [0, rows[0]!.length - 1, 0], [b, 1, -1]));
    full.dispose();
    const cached = host(cachedLast);
    const v = m.options.vocabSize;
    const next: number[] = [];
    for (let r = 0; r < b; r++) {
      const [u, c] = [uncached.slice(r * v, (r + 1) * v), cached.slice(r * v, (r + 1) * v)];
      c.forEach(
        (x, i) => (report.worst = Math.max(report.worst, Math.abs(x - u[i]!) / (1e-4 + 1e-4 * Math.abs(u[i]!)))),
      );
      const sorted = [...u].sort((p, q) => q - p);
      const [au, ac] = [u.indexOf(sorted[0]!), c.indexOf(Math.max(...c))];
      if (sorted[0]! - sorted[1]! >= 1e-3) {
        report.compared++;
        if (au === ac) report.same++;
      }
      next.push(au);
    }
    rows.forEach((row, r) => row.push(next[r]!));
    mask.forEach((row) => row.push(1));
    const nextIds = ids(next.map((t) => [t]));
    const step = m.forward(nextIds, { past });
    nextIds.dispose();
    past.dispose();
    past = step.past;
    cachedLast = step.logits;
  }
  tf.dispose(cachedLast);
  past.dispose();
  return report;
}

describe('Gpt2Model KV cache', () => {
  it('cached and uncached greedy decoding agree (random tiny model, left-padded batch), no tensor growth', () => {
    const m = new Gpt2Model(tiny, Rng.seeded(9), { initStd: 0.3 });
    const before = tf.memory().numTensors;
    const r = decodeBothWays(
      m,
      [
        [1, 2, 3, 4, 5],
        [60, 7],
      ],
      8,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(r.worst).toBeLessThanOrEqual(1);
    expect(r.compared).toBeGreaterThan(10);
    expect(r.same).toBe(r.compared);
    m.dispose();
  });

  it('a mask given for cache + new positions (HF convention) equals the default extension of the cached mask', () => {
    const m = new Gpt2Model(tiny, Rng.seeded(10), { initStd: 0.3 });
    const mask = tf.tensor2d([
      [0, 1, 1],
      [1, 1, 1],
    ]);
    const a = m.forward(
      ids([
        [0, 4, 5],
        [6, 7, 8],
      ]),
      { attentionMask: mask },
    );
    const def = m.forward(ids([[9], [10]]), { past: a.past });
    const explicit = m.forward(ids([[9], [10]]), {
      past: a.past,
      attentionMask: tf.tensor2d([
        [0, 1, 1, 1],
        [1, 1, 1, 1],
      ]),
    });
    expect(host(def.logits)).toEqual(host(explicit.logits));
    expect(def.past.length).toBe(4);
    expect(() => m.forward(ids([[1], [2]]), { past: a.past, attentionMask: tf.ones([2, 1]) })).toThrow(
      /\[2, 4\] \(cached \+ new positions\)/,
    );
    expect(() => m.forward(ids([[1]]), { past: a.past })).toThrow(/past, expected a cache of batch 1/);
    [a, def, explicit].forEach((o) => tf.dispose(o.logits));
    [a.past, def.past, explicit.past].forEach((p) => p.dispose());
    m.dispose();
  });

  it('the fixture checkpoint: cached = uncached (float32 tolerance), same greedy tokens where margin ≥ 1e-3', () => {
    expect(fixtureFolder, `a folder with config model_type gpt2 in ${fixturesDir}`).toBeDefined();
    const { model } = Gpt2Model.fromCheckpoint(fixtureFolder!);
    const r = decodeBothWays(
      model,
      [
        [464, 2068, 7586, 21831],
        [40, 1101],
      ],
      6,
    );
    expect(r.worst).toBeLessThanOrEqual(1);
    expect(r.compared).toBeGreaterThan(6);
    expect(r.same).toBe(r.compared);
    model.dispose();
  });
});
