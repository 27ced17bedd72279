// The attribute classifier as the training loop sees it (TrainableModel), and its held-out accuracy.
//   labels  = the attribute's rule on each decoded row (decode skips special tokens, as `dlm sample` prints)
//   t       ~ U{0, …, T−1} per row (improved-diffusion's UniformSampler; the classifier sees t·1000/T)
//   x_t     = sqrt(ᾱ_t)·E[w] + sqrt(1 − ᾱ_t)·ε on host float64 (GaussianEmbeddingProcess.qSample), E frozen
//   loss    = mean_B −log p(label | x_t, t)
// Accuracy is reported with t drawn as in training and at fixed noise levels t = round(f·(T − 1)).
import { Rng, tf, type Nd } from '@dlm/core';
import type { AttributeClassifier, TokenBatch } from '@dlm/models';
import { embedTokens, type GaussianEmbeddingProcess } from '@dlm/processes';
import type { TrainableModel } from '../train-loop.ts';
import type { BoundAttribute } from './attributes/registry.ts';

export interface ClassifierParts {
  net: AttributeClassifier;
  attribute: BoundAttribute;
  process: GaussianEmbeddingProcess;
  /** E [V, d] of the diffusion run (frozen). */
  embedding: Nd;
  /** Decoded text of one row of ids (specials skipped). */
  decode(ids: ArrayLike<number>): string;
}

/** The attribute's label of every row of ids [B, L]. */
export function rowLabels(p: Pick<ClassifierParts, 'attribute' | 'decode'>, ids: Nd<Int32Array>): Int32Array {
  const [B, L] = ids.shape as [number, number];
  return Int32Array.from({ length: B }, (_, b) => p.attribute.label(p.decode(ids.data.subarray(b * L, (b + 1) * L))));
}

/** x_t = q_sample(E[ids], t) [B, L, d] with standard normals from rng (host float64). */
export function noisyEmbeddings(
  p: Pick<ClassifierParts, 'process' | 'embedding'>,
  ids: Nd<Int32Array>,
  t: Int32Array,
  rng: Rng,
): Nd {
  const x0 = embedTokens(ids, p.embedding, 'control classifier');
  const noise: Nd = { data: Float64Array.from(x0.data, () => rng.normal()), shape: x0.shape };
  return p.process.qSample(x0, t, noise);
}

/** −log p(labels | x_t, t) per row [B] (a tensor the caller disposes). */
function rowNll(p: ClassifierParts, x: Nd, t: Int32Array, labels: Int32Array): tf.Tensor1D {
  const [B, L, d] = x.shape as [number, number, number];
  return tf.tidy(() =>
    p.net.nll(
      tf.tensor3d(Float32Array.from(x.data), [B, L, d]),
      tf.tensor1d(Float32Array.from(p.process.modelTimesteps(t))),
      labels,
    ),
  );
}

const drawT = (rng: Rng, B: number, T: number) => Int32Array.from({ length: B }, () => rng.int(0, T));

export function classifierTrainable(p: ClassifierParts): TrainableModel {
  const T = p.process.numTimesteps;
  const draw = (batch: TokenBatch, rng: Rng) => {
    const B = batch.ids.shape[0]!;
    const t = drawT(rng.split('t'), B, T);
    return { t, x: noisyEmbeddings(p, batch.ids, t, rng.split('noise')), labels: rowLabels(p, batch.ids) };
  };
  return {
    params: p.net.params,
    trainLoss(batch, rng) {
      const { t, x, labels } = draw(batch, rng);
      return tf.tidy(() => tf.mean(rowNll(p, x, t, labels)) as tf.Scalar);
    },
    nll(batch, rng) {
      const { t, x, labels } = draw(batch, rng);
      const v = rowNll(p, x, t, labels);
      const nats = Float64Array.from(v.dataSync());
      v.dispose();
      return { nats, tokens: new Float64Array(nats.length).fill(1) };
    },
  };
}

export interface ClassifierAccuracy {
  /** Mean −log p(label | x_t, t) with t drawn as in training. */
  ce: number;
  /** Accuracy with t drawn as in training. */
  accuracy: number;
  /** Accuracy at each fixed timestep, in the order of `levels`. */
  atLevels: { level: number; t: number; accuracy: number }[];
  /** The share of the most frequent label among these rows (what a constant guess scores). */
  majority: number;
  rows: number;
}

/** Accuracy of the classifier on fixed batches (the same rng → the same draws). */
export function classifierAccuracy(
  p: ClassifierParts,
  batches: readonly TokenBatch[],
  levels: readonly number[],
  rng: Rng,
): ClassifierAccuracy {
  const T = p.process.numTimesteps;
  let ce = 0,
    right = 0,
    rows = 0;
  const atLevels = levels.map((level) => ({ level, t: Math.round(level * (T - 1)), right: 0 }));
  const counts = new Map<number, number>();
  const correct = (x: Nd, t: Int32Array, labels: Int32Array) => {
    const [B, L, d] = x.shape as [number, number, number];
    const logits = tf.tidy(() =>
      p.net.logits(
        tf.tensor3d(Float32Array.from(x.data), [B, L, d]),
        tf.tensor1d(Float32Array.from(p.process.modelTimesteps(t))),
      ),
    );
    const l = logits.arraySync();
    logits.dispose();
    return l.filter((row, b) => row.indexOf(Math.max(...row)) === labels[b]).length;
  };
  batches.forEach((batch, i) => {
    const B = batch.ids.shape[0]!;
    const r = rng.split(`batch-${i}`);
    const labels = rowLabels(p, batch.ids);
    for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
    const t = drawT(r.split('t'), B, T);
    const x = noisyEmbeddings(p, batch.ids, t, r.split('noise'));
    const v = rowNll(p, x, t, labels);
    ce += Array.from(v.dataSync()).reduce((a, b) => a + b, 0);
    v.dispose();
    right += correct(x, t, labels);
    for (const lv of atLevels) {
      const tl = new Int32Array(B).fill(lv.t);
      lv.right += correct(noisyEmbeddings(p, batch.ids, tl, r.split(`level-${lv.t}`)), tl, labels);
    }
    rows += B;
  });
  return {
    ce: ce / rows,
    accuracy: right / rows,
    atLevels: atLevels.map(({ level, t, right: k }) => ({ level, t, accuracy: k / rows })),
    majority: Math.max(...counts.values()) / rows,
    rows,
  };
}

/** The validation row fields: ce, accuracy, acc_t<t> for each level. */
export function accuracyFields(a: ClassifierAccuracy): Record<string, number> {
  return {
    ce: a.ce,
    accuracy: a.accuracy,
    ...Object.fromEntries(a.atLevels.map((l) => [`acc_t${l.t}`, l.accuracy])),
  };
}
