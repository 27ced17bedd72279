import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, tf } from '@dlm/core';
import { loglinear } from '@dlm/schedules';
import { buildBackbone } from '../../backbones/registry.ts';
import { arFamily, buildAr } from './ar.ts';

const V = 9,
  BOS = 7,
  EOS = 8,
  L = 6;
const dit = { name: 'causal-dit', hidden_size: 16, n_heads: 2, n_blocks: 1, length: L, dropout: 0, init: 'random' };
const gpt2 = { name: 'gpt2', n_embd: 16, n_layer: 2, n_head: 2, n_positions: 12 };
const vocab = { size: V, bosId: BOS, eosId: EOS };

function build(model: Record<string, unknown> & { name: string } = dit, family: Record<string, unknown> = {}) {
  return buildAr({ family, model, noise: loglinear({ eps: 1e-3 }), vocab, rng: Rng.seeded(3) });
}
const rows = [
  [1, 2, 3, 4, 5, 6],
  [6, 5, 4, 3, 2, 1],
];
const batch = { ids: { data: Int32Array.from(rows.flat()), shape: [2, L] } };

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('AR family', () => {
  for (const model of [dit, gpt2]) {
    it(`${model.name}: nll = Σ_t −log p(x_t | BOS, x_<t), each prefix run alone; loss = Σ nats / Σ tokens`, () => {
      const m = build(model);
      // The same weights as the family's backbone (same Rng path), run on each prefix separately.
      const opts = { family: 'ar', accepted: [model.name], vocabSize: V, timeConditioning: false };
      const net = buildBackbone(model, { ...opts, rng: Rng.seeded(3).split('init') });
      const want = rows.map((row) => {
        let nats = 0;
        for (let t = 0; t < L; t++) {
          const z = tf.tidy(() => {
            const ctx = tf.tensor2d([[BOS, ...row.slice(0, t)]], undefined, 'int32');
            return [...tf.logSoftmax(net.forward(ctx, tf.zeros([1]))).dataSync()].slice(t * V, (t + 1) * V);
          });
          nats -= z[row[t]!]!;
        }
        return nats;
      });
      const draw = m.nll(batch, Rng.seeded(1));
      expect([...draw.tokens]).toEqual([L, L]);
      draw.nats.forEach((n, i) => expect(n).toBeCloseTo(want[i]!, 3));
      expect([...m.nll(batch, Rng.seeded(2)).nats]).toEqual([...draw.nats]); // exact: no draw
      const loss = tf.tidy(() => m.trainLoss(batch, Rng.seeded(5)).dataSync()[0]!);
      expect(loss).toBeCloseTo((draw.nats[0]! + draw.nats[1]!) / (2 * L), 4);
      net.dispose();
      m.dispose();
    });
  }

  it('padding (attention 0) is neither predicted nor counted: a padded row = its prefix', () => {
    const m = build();
    const attention = { data: Uint8Array.from([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]), shape: [2, L] };
    const draw = m.nll({ ...batch, attention }, Rng.seeded(0));
    expect([...draw.tokens]).toEqual([4, L]);
    const short = m.nll({ ids: { data: Int32Array.from([1, 2, 3, 4]), shape: [1, 4] } }, Rng.seeded(0));
    expect(draw.nats[0]!).toBeCloseTo(short.nats[0]!, 4);
    m.dispose();
  });

  it('a row that starts with BOS is its own context: its BOS costs 0 nats and counts as a token', () => {
    const m = build();
    const withBos = m.nll({ ids: { data: Int32Array.from([BOS, 1, 2, 3, 4, 5]), shape: [1, L] } }, Rng.seeded(0));
    const bare = m.nll({ ids: { data: Int32Array.from([1, 2, 3, 4, 5]), shape: [1, 5] } }, Rng.seeded(0));
    expect([...withBos.tokens]).toEqual([L]);
    expect(withBos.nats[0]!).toBeCloseTo(bare.nats[0]!, 4);
    expect(withBos.nats[0]!).toBeGreaterThan(0);
    m.dispose();
  });

  it('samples: NFE = length; greedy = ancestral with top_k 1; same seed → same ids; length > model is an error', () => {
    const m = build();
    const k1 = build(dit, { top_k: 1 });
    const g = m.sample({ num: 3, length: L, steps: 1, sampler: 'greedy', rng: Rng.seeded(4) });
    expect(g.ids.shape).toEqual([3, L]);
    expect(g.nfe).toBe(L);
    expect([...g.ids.data.subarray(0, L)]).toEqual([...g.ids.data.subarray(L, 2 * L)]); // argmax: same rows
    const a = k1.sample({ num: 3, length: L, steps: 1, sampler: 'ancestral', rng: Rng.seeded(9) });
    expect([...a.ids.data]).toEqual([...g.ids.data]);
    const s = (seed: number) => m.sample({ num: 4, length: L, steps: 1, sampler: 'ancestral', rng: Rng.seeded(seed) });
    expect([...s(1).ids.data]).toEqual([...s(1).ids.data]);
    expect([...s(1).ids.data]).not.toEqual([...s(2).ids.data]);
    expect([...s(1).ids.data].every((x) => x >= 0 && x < V)).toBe(true);
    expect(() => m.sample({ num: 1, length: L + 1, steps: 1, sampler: 'greedy', rng: Rng.seeded(0) })).toThrow(
      ConfigError,
    );
    expect(() => m.sample({ num: 1, length: 2, steps: 1, sampler: 'nucleus', rng: Rng.seeded(0) })).toThrow(
      /ancestral, greedy/,
    );
    m.dispose();
    k1.dispose();
  });

  it('gpt2: decoding with the key/value cache gives the tokens of full recomputation (same seed), also for left-padded prompts', () => {
    const cached = build(gpt2, { kv_cache: true });
    const full = build(gpt2, { kv_cache: false });
    const before = tf.memory().numTensors;
    for (const sampler of ['ancestral', 'greedy']) {
      const req = { num: 3, length: 10, steps: 1, sampler, rng: Rng.seeded(6) };
      const a = cached.sample(req),
        b = full.sample({ ...req, rng: Rng.seeded(6) });
      expect([...a.ids.data]).toEqual([...b.ids.data]);
      expect(a.nfe).toBe(10);
      expect(b.nfe).toBe(10);
    }
    const prompt = { data: Int32Array.from([0, 0, 1, 2, 3, 4, 5, 6]), shape: [2, 4] };
    const attention = { data: Int32Array.from([0, 0, 1, 1, 1, 1, 1, 1]), shape: [2, 4] };
    const req0 = () => ({
      prompt,
      attention,
      genLength: 5,
      steps: 5,
      blockLength: 5,
      temperature: 0.8,
      remasking: 'low_confidence',
      cfgScale: 0,
      rng: Rng.seeded(2),
    });
    const gen = (m: typeof cached) =>
      m.generate!({
        prompt,
        attention,
        genLength: 5,
        steps: 5,
        blockLength: 5,
        temperature: 0.8,
        remasking: 'low_confidence',
        cfgScale: 0,
        rng: Rng.seeded(2),
      });
    const ga = gen(cached),
      gb = gen(full);
    const off = cached.generate!({ ...req0(), topK: 0, topP: 1 }); // dlm generate's "off" values
    expect([...off.ids.data]).toEqual([...ga.ids.data]);
    expect([...ga.ids.data]).toEqual([...gb.ids.data]);
    expect(ga.nfe).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
    cached.dispose();
    full.dispose();
  });

  for (const model of [dit, gpt2]) {
    it(`${model.name}: generate of left-padded prompts = each prompt generated alone (greedy), prompt kept`, () => {
      const m = build(model);
      const base = { steps: 1, blockLength: 1, temperature: 0, remasking: 'low_confidence', cfgScale: 0 };
      const prompt = { data: Int32Array.from([0, 0, 3, 1, 4, 1, 5, 9 % V]), shape: [2, 4] };
      const attention = { data: Int32Array.from([0, 0, 1, 1, 1, 1, 1, 1]), shape: [2, 4] };
      const both = m.generate!({ ...base, prompt, attention, genLength: 2, rng: Rng.seeded(1) });
      expect(both.ids.shape).toEqual([2, 6]);
      expect([...both.ids.data.subarray(0, 4)]).toEqual([0, 0, 3, 1]);
      const alone = (ids: number[]) =>
        m.generate!({
          ...base,
          prompt: { data: Int32Array.from(ids), shape: [1, ids.length] },
          genLength: 2,
          rng: Rng.seeded(1),
        });
      expect([...both.ids.data.subarray(4, 6)]).toEqual([...alone([3, 1]).ids.data.subarray(2)]);
      expect([...both.ids.data.subarray(10, 12)]).toEqual([...alone([4, 1, 5, 0]).ids.data.subarray(4)]);
      m.dispose();
    });
  }

  it('needs a BOS id, accepts only causal backbones, and declares its sampler registry', () => {
    const noBos = () =>
      buildAr({ family: {}, model: dit, noise: loglinear({ eps: 1e-3 }), vocab: { size: V }, rng: Rng.seeded(0) });
    expect(noBos).toThrow(/vocab\.bosId/);
    const onDit = () => build({ name: 'dit', hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: L });
    expect(onDit).toThrow(/one of causal-dit, gpt2/);
    expect(() => build(dit, { temperature: -1 })).toThrow();
    expect(arFamily.samplers.names()).toEqual(['ancestral', 'greedy']);
    expect(arFamily.defaultSampler).toBe('ancestral');
  });
});
