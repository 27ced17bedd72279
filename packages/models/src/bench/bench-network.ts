// The kernel-benchmark network and its training step: the DiT with learned positions, LayerNorms
// without affine, a plain final LayerNorm + linear head, σ-features of t through
// Linear-SiLU-Linear; loss = cross-entropy on the masked positions of an absorbing-state
// (MDLM-style) corruption: each token is replaced by MASK with probability t ~ U(0, 1).
import { AdamW, ConfigError, Rng, brief, crossEntropy, tf } from '@dlm/core';
import { Dit } from '../backbones/dit/dit.ts';

export interface BenchNetworkConfig {
  /** Real tokens; the model has vocab + 1 rows (the last is MASK). */
  vocab: number;
  width: number;
  blocks: number;
  heads: number;
  /** Conditioning width C. */
  condDim: number;
  length: number;
  batch: number;
}

export const BENCH_NETWORK_DEFAULTS: BenchNetworkConfig = {
  vocab: 1024,
  width: 256,
  blocks: 4,
  heads: 4,
  condDim: 256,
  length: 128,
  batch: 16,
};

export function resolveBenchNetwork(input: Partial<BenchNetworkConfig>): BenchNetworkConfig {
  const c = { ...BENCH_NETWORK_DEFAULTS, ...input };
  for (const [k, v] of Object.entries(c)) {
    if (!(Number.isInteger(v) && v >= 1))
      throw new ConfigError({ op: 'kernel bench', arg: k, expected: 'an integer ≥ 1', got: brief(v) });
  }
  if (c.width % c.heads !== 0)
    throw new ConfigError({
      op: 'kernel bench',
      arg: 'heads',
      expected: `a divisor of width (${c.width})`,
      got: brief(c.heads),
    });
  return c;
}

export function createBenchModel(c: BenchNetworkConfig, rng: Rng): Dit {
  return new Dit(
    {
      vocabSize: c.vocab + 1,
      hidden: c.width,
      heads: c.heads,
      blocks: c.blocks,
      condDim: c.condDim,
      positions: 'learned',
      maxLength: c.length,
      normAffine: false,
      finalAdaLN: false,
      timeConditioning: true,
    },
    rng,
  );
}

/** One host batch: clean tokens x0, corrupted x_t, the mask of corrupted positions and t. */
export interface HostBatch {
  x0: Int32Array; // [B·L]
  xt: Int32Array; // [B·L]
  masked: Float32Array; // [B·L] 1 where x_t = MASK
  t: Float32Array; // [B]
}

export function sampleBatch(c: BenchNetworkConfig, rng: Rng): HostBatch {
  const n = c.batch * c.length;
  const x0 = new Int32Array(n);
  const xt = new Int32Array(n);
  const masked = new Float32Array(n);
  const t = new Float32Array(c.batch);
  for (let b = 0; b < c.batch; b++) {
    t[b] = rng.uniform();
    for (let l = 0; l < c.length; l++) {
      const i = b * c.length + l;
      x0[i] = rng.int(0, c.vocab);
      const m = rng.uniform() < t[b]!;
      masked[i] = m ? 1 : 0;
      xt[i] = m ? c.vocab : x0[i]!; // MASK = vocab (the last row)
    }
  }
  return { x0, xt, masked, t };
}

/** Logits of a batch; the caller disposes the result. */
export function benchForward(model: Dit, c: BenchNetworkConfig, batch: HostBatch): tf.Tensor3D {
  return tf.tidy(() => model.forward(tf.tensor2d(batch.xt, [c.batch, c.length], 'int32'), tf.tensor1d(batch.t)));
}

/** Forward, backward and one AdamW step; returns the loss (read back, which also syncs). */
export function benchTrainStep(model: Dit, opt: AdamW, c: BenchNetworkConfig, batch: HostBatch): number {
  const { value, grads } = model.params.valueAndGrads(() =>
    tf.tidy(() => {
      const logits = benchForward(model, c, batch); // [B, L, V+1]
      const targets = tf.tensor2d(batch.x0, [c.batch, c.length], 'int32');
      return crossEntropy(logits, targets, { mask: tf.tensor2d(batch.masked, [c.batch, c.length]) }) as tf.Scalar;
    }),
  );
  opt.step(grads);
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...grads.values()]);
  return loss;
}

/**
 * Matmul FLOPs (2·m·n·k each) of one forward of the network on a [B, L] batch: per block the q/k/v projections
 * 2·N·D·3D, the scores and the weighted values 2·2·B·L²·D, the output projection 2·N·D², the MLP 2·2·N·D·4D and
 * the adaLN 2·B·C·6D; then the head 2·N·D·(V+1) and the σ map 2·B·(256·C + C²) (N = B·L). A training step is
 * counted as 3× this (the backward runs two matmuls per forward matmul). Element-wise ops are not counted.
 * The PyTorch twin (packages/models/bench/torch-dit-bench.py forward_flops) counts the same way.
 */
export function benchNetworkFlops(c: BenchNetworkConfig): { forward: number; train: number } {
  const { batch: b, length: l, width: d, condDim: cd, vocab: v } = c;
  const n = b * l;
  const perBlock =
    2 * n * d * 3 * d + 2 * 2 * b * l * l * d + 2 * n * d * d + 2 * 2 * n * d * 4 * d + 2 * b * cd * 6 * d;
  const forward = c.blocks * perBlock + 2 * n * d * (v + 1) + 2 * b * (256 * cd + cd * cd);
  return { forward, train: 3 * forward };
}
