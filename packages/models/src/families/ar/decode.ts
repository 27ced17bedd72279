// Autoregressive decoding of a causal backbone: from a context [B, P] (left-padded rows, `attention` 0 on the
// padding), `newTokens` tokens are picked one at a time from the logits of the last position. With a key/value
// cache (Backbone.decode, GPT-2) the first call reads the context and each later call feeds one token; without
// one the whole prefix is recomputed at each step. Backbones without a padding mask (causal DiT: rotary positions,
// no key mask) decode padded rows one at a time with their padding stripped, which is the row decoded alone.
// NFE = number of backbone calls.
import { ConfigError, tf, type Nd } from '@dlm/core';
import type { Backbone } from '../../backbones/backbone.ts';
import { AR_MASK_LOGIT } from '../../backbones/causal-dit/ar-log-probs.ts';

export interface ArDecodeRequest {
  /** [B, P] ids, P ≥ 1; padding on the left. */
  context: Nd<Int32Array>;
  /** [B, P] 1 = real token, 0 = padding (absent = all real). */
  attention?: Nd<Int32Array> | undefined;
  newTokens: number;
  /** Next-token logits [B·V] (row-major, float32) → the B picked ids. */
  pick: (logits: Float32Array, shape: [number, number]) => Int32Array;
  /** Use Backbone.decode's cache if the backbone has one. */
  kvCache: boolean;
  /** The MASK column is set to −1000 before picking (MDLM AR.forward); absent = no MASK. */
  maskId?: number | undefined;
  onStep?: ((step: number, nfe: number) => void) | undefined;
}

export interface ArDecodeResult {
  /** [B, newTokens] the picked ids. */
  ids: Nd<Int32Array>;
  nfe: number;
}

/** The logits of each row's last position, [B, V] host float32 (the last column is always a real token). */
function lastRow(logits: tf.Tensor3D): Float32Array {
  const [b, l, v] = logits.shape;
  return tf.tidy(() => tf.slice(logits, [0, l - 1, 0], [b, 1, v]).dataSync() as Float32Array);
}

export function arDecode(net: Backbone, req: ArDecodeRequest): ArDecodeResult {
  const op = 'ar decode';
  const [b, p] = req.context.shape as [number, number];
  if (!(p >= 1))
    throw new ConfigError({ op, arg: 'context', expected: 'at least one position (a BOS or a prompt)', got: '0' });
  if (!(Number.isInteger(req.newTokens) && req.newTokens >= 1))
    throw new ConfigError({ op, arg: 'newTokens', expected: 'an integer ≥ 1', got: String(req.newTokens) });
  if (p + req.newTokens - 1 > net.maxLength) {
    const expected = `context + new tokens − 1 ≤ the backbone's maximum length ${net.maxLength}`;
    throw new ConfigError({ op, arg: 'length', expected, got: `${p} + ${req.newTokens} − 1` });
  }
  const mask = Int32Array.from(req.attention?.data ?? new Int32Array(b * p).fill(1), (m) => (m !== 0 ? 1 : 0));
  const padded = mask.some((m) => m === 0);
  const width = p + req.newTokens;
  // Host copies of the growing sequences and masks [B, width]; column j < p + step is filled.
  const seq = new Int32Array(b * width);
  const att = new Int32Array(b * width).fill(1);
  for (let i = 0; i < b; i++) {
    seq.set(req.context.data.subarray(i * p, (i + 1) * p), i * width);
    att.set(mask.subarray(i * p, (i + 1) * p), i * width);
  }
  const out = new Int32Array(b * req.newTokens);
  let nfe = 0;
  const sigma = tf.zeros([b]) as tf.Tensor1D;
  const prefix = (data: Int32Array, n: number, rows: number) =>
    Int32Array.from({ length: rows * n }, (_, k) => data[Math.floor(k / n) * width + (k % n)]!);
  // Without a cache: the logits of the last position of the first n columns, [B, V].
  const recompute = (n: number): Float32Array => {
    if (net.decode) {
      nfe++;
      return tf.tidy(() => {
        const ids = tf.tensor2d(prefix(seq, n, b), [b, n], 'int32');
        const attentionMask = padded ? { attentionMask: tf.tensor2d(prefix(att, n, b), [b, n], 'int32') } : {};
        const r = net.decode!(ids, attentionMask);
        r.past.dispose();
        return lastRow(r.logits);
      });
    }
    if (!padded) {
      nfe++;
      return tf.tidy(() => lastRow(net.forward(tf.tensor2d(prefix(seq, n, b), [b, n], 'int32'), sigma)));
    }
    const rows: Float32Array[] = [];
    for (let i = 0; i < b; i++) {
      const real: number[] = [];
      for (let j = 0; j < n; j++) if (att[i * width + j]) real.push(seq[i * width + j]!);
      nfe++;
      rows.push(
        tf.tidy(() =>
          lastRow(net.forward(tf.tensor2d([real], [1, real.length], 'int32'), tf.zeros([1]) as tf.Tensor1D)),
        ),
      );
    }
    const v = rows[0]!.length;
    const all = new Float32Array(b * v);
    rows.forEach((r, i) => all.set(r, i * v));
    return all;
  };
  let past: { length: number; dispose(): void } | undefined;
  try {
    for (let step = 0; step < req.newTokens; step++) {
      const n = p + step;
      let logits: Float32Array;
      if (req.kvCache && net.decode) {
        const feed = step === 0 ? p : 1;
        // Not in a tidy: the returned cache holds tensors that must outlive this step.
        const ids = tf.tensor2d(
          Int32Array.from({ length: b * feed }, (_, k) => seq[Math.floor(k / feed) * width + n - feed + (k % feed)]!),
          [b, feed],
          'int32',
        );
        const attentionMask = padded ? tf.tensor2d(prefix(att, n, b), [b, n], 'int32') : undefined;
        const d = net.decode(ids, { ...(attentionMask ? { attentionMask } : {}), ...(past ? { past } : {}) });
        ids.dispose();
        attentionMask?.dispose();
        nfe++;
        past?.dispose();
        past = d.past;
        logits = lastRow(d.logits);
        d.logits.dispose();
      } else {
        logits = recompute(n);
      }
      const v = logits.length / b;
      if (req.maskId !== undefined) for (let i = 0; i < b; i++) logits[i * v + req.maskId] = AR_MASK_LOGIT;
      const picked = req.pick(logits, [b, v]);
      for (let i = 0; i < b; i++) {
        seq[i * width + n] = picked[i]!;
        out[i * req.newTokens + step] = picked[i]!;
      }
      req.onStep?.(step + 1, nfe);
    }
  } finally {
    past?.dispose();
    sigma.dispose();
  }
  return { ids: { data: out, shape: [b, req.newTokens] }, nfe };
}
