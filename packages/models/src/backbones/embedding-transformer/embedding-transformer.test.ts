// The embedding transformer against a host float64 re-derivation of the same formulas (DiffuSeq
// TransformerNetModel.forward with a BertEncoder of post-LN layers), its tied head, its timestep embedding,
// its gradients and its init. Tolerance for tfjs float32 vs host float64: rtol 1e-4, atol 1e-5.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, ShapeError, assertAllClose, initBackend, tf, timestepFeatures } from '@dlm/core';
import { EmbeddingTransformer } from './embedding-transformer.ts';
import { resolveEmbeddingTransformerOptions, type EmbeddingTransformerOptions } from './options.ts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const RTOL = 1e-4;
const ATOL = 1e-5;

type Host = Map<string, { shape: number[]; data: Float64Array }>;

function hostParams(net: EmbeddingTransformer): Host {
  const out: Host = new Map();
  for (const [name, t] of net.params.stateDict())
    out.set(name, { shape: [...t.shape], data: Float64Array.from(t.data) });
  return out;
}

// ---- host float64 building blocks; rows are number[] of the last axis -------------------------------------
const get = (p: Host, name: string) => {
  const v = p.get(name);
  if (!v) throw new Error(`no parameter ${name}`);
  return v;
};
function hostLinear(p: Host, name: string, x: number[]): number[] {
  const w = get(p, `${name}.weight`);
  const b = get(p, `${name}.bias`).data;
  const [out, inp] = w.shape as [number, number];
  return Array.from({ length: out }, (_, o) => {
    let s = b[o]!;
    for (let i = 0; i < inp; i++) s += w.data[o * inp + i]! * x[i]!;
    return s;
  });
}
function hostLayerNorm(p: Host, name: string, x: number[], eps: number): number[] {
  const w = get(p, `${name}.weight`).data;
  const b = get(p, `${name}.bias`).data;
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i]! + b[i]!);
}
function erf(x: number): number {
  if (Math.abs(x) > 4.5) return Math.sign(x);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const hostGelu = (u: number) => 0.5 * u * (1 + erf(u / Math.SQRT2));
const hostGeluTanh = (u: number) => 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u ** 3)));

/** timestep_embedding with float32 frequencies and arguments, as torch computes them. */
function hostFeatures(t: number, dim: number): number[] {
  const half = Math.floor(dim / 2);
  const args = Array.from({ length: half }, (_, i) =>
    Math.fround(Math.fround(t) * Math.fround(Math.exp((-Math.log(10000) * i) / half))),
  );
  return [...args.map(Math.cos), ...args.map(Math.sin), ...(dim % 2 ? [0] : [])];
}
function hostTimeEmbedding(p: Host, t: number, dim: number): number[] {
  const h = hostLinear(p, 'time_embed.0', hostFeatures(t, dim)).map((v) => v / (1 + Math.exp(-v)));
  return hostLinear(p, 'time_embed.2', h);
}

/** The whole forward for one batch row: x [L][d] → [L][d]; t one timestep or one per position ([L]). */
function hostForward(p: Host, o: EmbeddingTransformerOptions, x: number[][], t: number | number[]): number[][] {
  const L = x.length;
  const H = o.hidden;
  const hd = H / o.heads;
  const mlp = (name: string, v: number[]) => hostLinear(p, `${name}.2`, hostLinear(p, `${name}.0`, v).map(Math.tanh));
  const embT = x.map((_, l) => hostTimeEmbedding(p, typeof t === 'number' ? t : t[l]!, o.timeDim));
  const pos = get(p, 'position_embeddings.weight').data;
  let h = x.map((row, l) => {
    const e = o.projections ? mlp('input_up_proj', row) : row;
    return hostLayerNorm(
      p,
      'LayerNorm',
      e.map((v, j) => v + pos[l * H + j]! + embT[l]![j]!),
      o.layerNormEps,
    );
  });
  const act = o.activation === 'gelu' ? hostGelu : hostGeluTanh;
  for (let i = 0; i < o.layers; i++) {
    const b = `input_transformers.layer.${i}`;
    const [q, k, v] = ['query', 'key', 'value'].map((n) =>
      h.map((row) => hostLinear(p, `${b}.attention.self.${n}`, row)),
    );
    const ctx = h.map(() => new Array<number>(H).fill(0));
    for (let head = 0; head < o.heads; head++) {
      const off = head * hd;
      for (let a = 0; a < L; a++) {
        const scores = Array.from({ length: L }, (_, c) => {
          let s = 0;
          for (let j = 0; j < hd; j++) s += q![a]![off + j]! * k![c]![off + j]!;
          return s / Math.sqrt(hd);
        });
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((u, w) => u + w, 0);
        for (let c = 0; c < L; c++) for (let j = 0; j < hd; j++) ctx[a]![off + j]! += (e[c]! / z) * v![c]![off + j]!;
      }
    }
    const x1 = h.map((row, a) =>
      hostLayerNorm(
        p,
        `${b}.attention.output.LayerNorm`,
        hostLinear(p, `${b}.attention.output.dense`, ctx[a]!).map((u, j) => u + row[j]!),
        o.layerNormEps,
      ),
    );
    h = x1.map((row) =>
      hostLayerNorm(
        p,
        `${b}.output.LayerNorm`,
        hostLinear(p, `${b}.output.dense`, hostLinear(p, `${b}.intermediate.dense`, row).map(act)).map(
          (u, j) => u + row[j]!,
        ),
        o.layerNormEps,
      ),
    );
  }
  return h.map((row) => (o.projections ? mlp('output_down_proj', row) : row));
}

const small = {
  hidden_dim: 3,
  hidden_t_dim: 5, // odd: the zero column
  seq_len: 5,
  hidden_size: 8,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 12,
  layer_norm_eps: 1e-5,
  dropout: 0.1,
  attention_probs_dropout_prob: 0.1,
};
const V = 7;
const B = 2;
const L = 4;

function inputs(d: number): { x: number[][][]; t: number[] } {
  const r = Rng.seeded(11);
  return {
    x: Array.from({ length: B }, () => Array.from({ length: L }, () => Array.from({ length: d }, () => r.normal()))),
    t: [0, 437.5],
  };
}

function checkAgainstHost(config: Record<string, unknown>): EmbeddingTransformer {
  const o = resolveEmbeddingTransformerOptions(config, V);
  const net = new EmbeddingTransformer(o, Rng.seeded(5));
  const { x, t } = inputs(o.embeddingDim);
  const got = tf.tidy(() => {
    const y = net.forward(tf.tensor3d(x), tf.tensor1d(t));
    expect(y.shape).toEqual([B, L, o.embeddingDim]);
    return [...y.dataSync()];
  });
  const p = hostParams(net);
  const want = x.flatMap((row, b) => hostForward(p, o, row, t[b]!).flat());
  assertAllClose('forward', got, want, RTOL, ATOL);
  return net;
}

describe('EmbeddingTransformer', () => {
  it('forward [B, L, d] = the host float64 reference (d ≠ H: up/down projections; erf GELU; no dropout at eval)', () => {
    const net = checkAgainstHost(small);
    expect(net.params.names().filter((n) => n.includes('_proj.'))).toEqual([
      'input_up_proj.0.weight',
      'input_up_proj.0.bias',
      'input_up_proj.2.weight',
      'input_up_proj.2.bias',
      'output_down_proj.0.weight',
      'output_down_proj.0.bias',
      'output_down_proj.2.weight',
      'output_down_proj.2.bias',
    ]);
    const ids = tf.tensor2d([[0, 6, 3, 3]], [1, 4], 'int32');
    const e = net.embed(ids);
    expect(e.shape).toEqual([1, 4, 3]);
    const E = net.embeddingWeight().arraySync() as number[][];
    expect(e.arraySync()).toEqual([[E[0], E[6], E[3], E[3]]]);
    expect(net.logits(e).shape).toEqual([1, 4, V]);
    net.dispose();
  });

  it('d = H: no projections (DiffuSeq builds them only when the widths differ); gelu_new = tanh GELU', () => {
    const net = checkAgainstHost({ ...small, hidden_dim: 8, hidden_act: 'gelu_new', max_position_embeddings: 9 });
    expect(net.params.names().some((n) => n.includes('_proj'))).toBe(false);
    expect(net.params.get('position_embeddings.weight').shape).toEqual([9, 8]);
    net.dispose();
  });

  it('DiffuSeq state_dict names and shapes; lm_head.weight is the word embedding itself', () => {
    const o = resolveEmbeddingTransformerOptions({ ...small, num_hidden_layers: 1 }, V);
    const net = new EmbeddingTransformer(o, Rng.seeded(1));
    const shapes = Object.fromEntries(net.params.names().map((n) => [n, net.params.get(n).shape]));
    expect(shapes).toEqual({
      'word_embedding.weight': [7, 3],
      'lm_head.bias': [7],
      'time_embed.0.weight': [20, 5],
      'time_embed.0.bias': [20],
      'time_embed.2.weight': [8, 20],
      'time_embed.2.bias': [8],
      'input_up_proj.0.weight': [8, 3],
      'input_up_proj.0.bias': [8],
      'input_up_proj.2.weight': [8, 8],
      'input_up_proj.2.bias': [8],
      'position_embeddings.weight': [5, 8],
      'LayerNorm.weight': [8],
      'LayerNorm.bias': [8],
      'input_transformers.layer.0.attention.self.query.weight': [8, 8],
      'input_transformers.layer.0.attention.self.query.bias': [8],
      'input_transformers.layer.0.attention.self.key.weight': [8, 8],
      'input_transformers.layer.0.attention.self.key.bias': [8],
      'input_transformers.layer.0.attention.self.value.weight': [8, 8],
      'input_transformers.layer.0.attention.self.value.bias': [8],
      'input_transformers.layer.0.attention.output.dense.weight': [8, 8],
      'input_transformers.layer.0.attention.output.dense.bias': [8],
      'input_transformers.layer.0.attention.output.LayerNorm.weight': [8],
      'input_transformers.layer.0.attention.output.LayerNorm.bias': [8],
      'input_transformers.layer.0.intermediate.dense.weight': [12, 8],
      'input_transformers.layer.0.intermediate.dense.bias': [12],
      'input_transformers.layer.0.output.dense.weight': [8, 12],
      'input_transformers.layer.0.output.dense.bias': [8],
      'input_transformers.layer.0.output.LayerNorm.weight': [8],
      'input_transformers.layer.0.output.LayerNorm.bias': [8],
      'output_down_proj.0.weight': [8, 8],
      'output_down_proj.0.bias': [8],
      'output_down_proj.2.weight': [3, 8],
      'output_down_proj.2.bias': [3],
    });
    net.dispose();
  });

  it('timestep embedding: [cos(t·f_i), sin(t·f_i)] with f_i = 10000^(−i/half), then Linear, SiLU, Linear', () => {
    // hidden_t_dim 4: half = 2, f = [1, 10000^(−1/2)] = [1, 0.01].
    const f = tf.tidy(() => [...timestepFeatures(tf.tensor1d([2, 500]), 4).dataSync()]);
    const want = [
      Math.cos(2),
      Math.cos(0.02),
      Math.sin(2),
      Math.sin(0.02),
      Math.cos(500),
      Math.cos(5),
      Math.sin(500),
      Math.sin(5),
    ];
    assertAllClose('features', f, want, 0, 5e-5);
    const o = resolveEmbeddingTransformerOptions({ ...small, hidden_t_dim: 4 }, V);
    const net = new EmbeddingTransformer(o, Rng.seeded(3));
    const p = hostParams(net);
    const got = tf.tidy(() => [...net.timeEmbedding(tf.tensor1d([2, 500])).dataSync()]);
    assertAllClose('time_embed', got, [...hostTimeEmbedding(p, 2, 4), ...hostTimeEmbedding(p, 500, 4)], RTOL, ATOL);
    // Added to every position: the output moves with t even for identical x.
    const x = tf.zeros([1, 3, 3]);
    const [a, b] = [0, 10].map((s) => tf.tidy(() => [...net.forward(x, tf.tensor1d([s])).dataSync()]));
    expect(a).not.toEqual(b);
    net.dispose();
  });

  it('per-position time t [B, L]: rows of one t equal t [B] exactly; varying t = a time embedding per token', () => {
    const o = resolveEmbeddingTransformerOptions(small, V);
    const net = new EmbeddingTransformer(o, Rng.seeded(5));
    const { x } = inputs(o.embeddingDim);
    const run = (t: tf.Tensor) => tf.tidy(() => [...net.forward(tf.tensor3d(x), t).dataSync()]);
    const row = run(tf.tensor1d([0, 437.5]));
    expect(run(tf.tensor2d([0, 0, 0, 0, 437.5, 437.5, 437.5, 437.5], [B, L]))).toEqual(row);
    const emb = tf.tidy(() => net.timeEmbedding(tf.tensor2d([2, 500, 7, 0], [2, 2])));
    expect(emb.shape).toEqual([2, 2, o.hidden]);
    const p = hostParams(net);
    const want = [2, 500, 7, 0].flatMap((s) => hostTimeEmbedding(p, s, o.timeDim));
    assertAllClose('time_embed [B, L]', [...emb.dataSync()], want, RTOL, ATOL);
    emb.dispose();
    // AR-Diffusion-like times rising along each row, against the host forward with a time embedding per token.
    const t = [
      [0, 50, 500, 950],
      [250, 250, 600, 999],
    ];
    const got = run(tf.tensor2d(t));
    const ref = x.flatMap((r, b) => hostForward(p, o, r, t[b]!).flat());
    assertAllClose('forward [B, L] time', got, ref, RTOL, ATOL);
    expect(() => run(tf.zeros([B, L + 1]))).toThrow(/forward: t.*\[2\].*or \[2, 4\]/);
    net.dispose();
  });

  it('tied head: logits = h·Eᵀ + lm_head.bias (mode 1) or −‖h − E_v‖ (mode 2, no bias) and follow E', () => {
    const o = resolveEmbeddingTransformerOptions(small, V);
    const net = new EmbeddingTransformer(o, Rng.seeded(2));
    const h = [
      [0.3, -1.2, 0.5],
      [2, 0.1, -0.7],
    ];
    const logitsOf = () => tf.tidy(() => [...net.logits(tf.tensor3d([h])).dataSync()]);
    const host = (scale: number) => {
      const E = net.embeddingWeight().arraySync() as number[][];
      const bias = net.params.get('lm_head.bias').arraySync() as number[];
      return h.flatMap((row) => E.map((e, v) => scale * e.reduce((s, ev, j) => s + ev * row[j]!, 0) + bias[v]!));
    };
    assertAllClose('mode 1', logitsOf(), host(1), RTOL, ATOL);
    expect(net.params.has('lm_head.weight')).toBe(false);
    // Writing E changes the head: there is one tensor.
    const before = host(1);
    tf.tidy(() => net.embeddingWeight().assign(tf.mul(net.embeddingWeight(), 2)));
    assertAllClose('mode 1 after E ← 2E', logitsOf(), host(1), RTOL, ATOL);
    expect(logitsOf()).not.toEqual(before);
    // The gradient of the logits reaches E and the bias only.
    const { value, grads } = net.params.valueAndGrads(() => tf.sum(tf.square(net.logits(tf.tensor3d([h])))));
    expect([...grads.keys()].sort()).toEqual(['lm_head.bias', 'word_embedding.weight']);
    value.dispose();
    grads.forEach((g) => g.dispose());
    net.dispose();

    const net2 = new EmbeddingTransformer(
      resolveEmbeddingTransformerOptions({ ...small, logits_mode: 2 }, V),
      Rng.seeded(2),
    );
    expect(net2.params.has('lm_head.bias')).toBe(false);
    const E = net2.embeddingWeight().arraySync() as number[][];
    const want = h.flatMap((row) => E.map((e) => -Math.sqrt(e.reduce((s, ev, j) => s + (ev - row[j]!) ** 2, 0))));
    assertAllClose(
      'mode 2',
      tf.tidy(() => [...net2.logits(tf.tensor3d([h])).dataSync()]),
      want,
      RTOL,
      ATOL,
    );
    net2.dispose();
  });

  it('gradients reach every parameter (finite, non-zero) and match a finite difference', () => {
    const o = resolveEmbeddingTransformerOptions({ ...small, dropout: 0, attention_probs_dropout_prob: 0 }, V);
    const net = new EmbeddingTransformer(o, Rng.seeded(4));
    const { x, t } = inputs(3);
    const ids = tf.tensor2d(
      [
        [1, 2, 3, 4],
        [6, 5, 0, 0],
      ],
      [B, L],
      'int32',
    );
    const xt = tf.tensor3d(x);
    const tt = tf.tensor1d(t);
    // MSE to the clean embeddings + rounding CE of the prediction (the shape of the e2e loss).
    const loss = () =>
      tf.tidy(() => {
        const pred = net.forward(xt, tt);
        const mse = tf.mean(tf.square(tf.sub(pred, net.embed(ids))));
        const logp = tf.logSoftmax(net.logits(pred));
        const ce = tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.oneHot(ids, V)), -1)));
        return tf.add(mse, ce) as tf.Scalar;
      });
    const { value, grads } = net.params.valueAndGrads(loss);
    expect([...grads.keys()].sort()).toEqual(net.params.names().sort());
    for (const [name, g] of grads) {
      const data = g.dataSync();
      expect(data.every(Number.isFinite), name).toBe(true);
      expect(
        data.some((v) => v !== 0),
        name,
      ).toBe(true);
    }
    // Central difference on one weight of the input projection (float32: step 1e-2, 2 % agreement).
    const name = 'input_up_proj.0.weight';
    const w = net.params.get(name);
    const at = (delta: number) => {
      const orig = w.arraySync() as number[][];
      const moved = orig.map((r, i) => r.map((v, j) => (i === 1 && j === 2 ? v + delta : v)));
      tf.tidy(() => w.assign(tf.tensor2d(moved)));
      const v = tf.tidy(() => loss().dataSync()[0]!);
      tf.tidy(() => w.assign(tf.tensor2d(orig)));
      return v;
    };
    const fd = (at(1e-2) - at(-1e-2)) / 2e-2;
    const analytic = (grads.get(name)!.arraySync() as number[][])[1]![2]!;
    expect(Math.abs(fd - analytic)).toBeLessThan(0.02 * Math.abs(analytic) + 1e-4);
    value.dispose();
    grads.forEach((g) => g.dispose());
    for (const tns of [ids, xt, tt]) tns.dispose();
    net.dispose();
  });

  it('init from the Rng: same seed → same weights; torch defaults (Linear U(±1/√fan_in), Embedding N(0,1), LN 1/0)', () => {
    const o = resolveEmbeddingTransformerOptions({ ...small, hidden_dim: 16 }, 50);
    const [a, b, c] = [7, 7, 8].map((s) => new EmbeddingTransformer(o, Rng.seeded(s)));
    const dict = (n: EmbeddingTransformer) => [...n.params.stateDict()].map(([k, v]) => [k, [...v.data]]);
    expect(dict(a!)).toEqual(dict(b!));
    expect(dict(a!)).not.toEqual(dict(c!));
    for (const [name, t] of a!.params.stateDict()) {
      const data = [...t.data];
      if (name.endsWith('LayerNorm.weight'))
        expect(
          data.every((v) => v === 1),
          name,
        ).toBe(true);
      else if (name.endsWith('LayerNorm.bias'))
        expect(
          data.every((v) => v === 0),
          name,
        ).toBe(true);
      else if (name === 'word_embedding.weight' || name === 'position_embeddings.weight') {
        const mean = data.reduce((s, v) => s + v, 0) / data.length;
        const sd = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
        expect(Math.abs(mean), name).toBeLessThan(0.2);
        expect(sd, name).toBeGreaterThan(0.85);
        expect(sd, name).toBeLessThan(1.15);
      } else {
        const layer = name.replace(/\.(weight|bias)$/, '.weight');
        const fanIn = name === 'lm_head.bias' ? 16 : a!.params.get(layer).shape[1]!;
        const bound = 1 / Math.sqrt(fanIn);
        expect(Math.max(...data.map(Math.abs)), name).toBeLessThanOrEqual(bound);
        expect(Math.max(...data.map(Math.abs)), name).toBeGreaterThan(0.5 * bound);
      }
    }
    [a, b, c].forEach((n) => n!.dispose());
  });

  it('names the argument in shape and config errors', () => {
    const net = new EmbeddingTransformer(resolveEmbeddingTransformerOptions(small, V), Rng.seeded(0));
    const run = (x: tf.Tensor, t: tf.Tensor) => () => tf.tidy(() => net.forward(x, t));
    expect(run(tf.zeros([2, 4, 5]), tf.zeros([2]))).toThrow(ShapeError);
    expect(run(tf.zeros([2, 4, 5]), tf.zeros([2]))).toThrow(/EmbeddingTransformer\.forward: x.*\[B, L, 3\]/);
    expect(run(tf.zeros([2, 6, 3]), tf.zeros([2]))).toThrow(/length ≤ seq_len 5/);
    expect(run(tf.zeros([2, 4, 3]), tf.zeros([3]))).toThrow(/forward: t.*\[2\]/);
    expect(() => net.embed(tf.zeros([1, 2]))).toThrow(/embed: ids.*int32/);
    net.dispose();
    const bad = (c: Record<string, unknown>) => () => resolveEmbeddingTransformerOptions({ ...small, ...c }, V);
    expect(bad({ num_attention_heads: 3 })).toThrow(ConfigError);
    expect(bad({ num_attention_heads: 3 })).toThrow(/model\.num_attention_heads.*divisor of hidden_size \(8\)/);
    expect(bad({ max_position_embeddings: 4 })).toThrow(/model\.max_position_embeddings.*at least seq_len \(5\)/);
    expect(bad({ hidden_sise: 8 })).toThrow(/hidden_sise/);
  });
});
