// Multi-head scaled dot-product attention: softmax(Q Kᵀ·scale + bias) V per head, with an
// optional causal mask and an optional key padding mask. Masked scores get float32's most
// negative value added (LLaDA: `(1 − mask)·finfo(float32).min`); both masks are combined
// into ONE bias first, so a key masked twice is never pushed to −∞ (which would give NaN).
import { ShapeError } from '../errors.ts';
import { tf } from '../tf.ts';

/** torch.finfo(torch.float32).min */
export const FLOAT32_MIN = -3.4028234663852886e38;

export interface AttentionOptions {
  /** Query i sees keys j ≤ i + (Lk − Lq) (a causal LM; with Lq = Lk: j ≤ i). Default false. */
  causal?: boolean;
  /** [B, Lk], 1 = keep, 0 = padding (float32, int32 or bool). Padded keys get no weight. */
  keyPaddingMask?: tf.Tensor;
  /** Default 1/√hd. */
  scale?: number;
}

/** [B, L, H·hd] → [B, H, L, hd] */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [b, l, d] = x.shape as [number, number, number];
  if (x.rank !== 3 || d % heads !== 0)
    throw new ShapeError({
      op: 'splitHeads',
      arg: 'x',
      expected: `[B, L, D] with D divisible by ${heads}`,
      got: `[${x.shape}]`,
    });
  return tf.tidy(() => tf.transpose(tf.reshape(x, [b, l, heads, d / heads]), [0, 2, 1, 3]) as tf.Tensor4D);
}

/** [B, H, L, hd] → [B, L, H·hd] (heads concatenated in head order) */
export function mergeHeads(x: tf.Tensor): tf.Tensor3D {
  const [b, h, l, hd] = x.shape as [number, number, number, number];
  return tf.tidy(() => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, l, h * hd]) as tf.Tensor3D);
}

/**
 * @param q [B, H, Lq, hd]
 * @param k [B, H, Lk, hd]
 * @param v [B, H, Lk, hd]
 * @returns [B, H, Lq, hd]
 */
export function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, opts: AttentionOptions = {}): tf.Tensor4D {
  const [b, h, lq, hd] = q.shape as [number, number, number, number];
  const lk = k.shape[2]!;
  const ok =
    q.rank === 4 &&
    k.rank === 4 &&
    v.rank === 4 &&
    k.shape[0] === b &&
    k.shape[1] === h &&
    k.shape[3] === hd &&
    v.shape[0] === b &&
    v.shape[1] === h &&
    v.shape[2] === lk;
  if (!ok)
    throw new ShapeError({
      op: 'attention',
      arg: 'q, k, v',
      expected: 'q [B,H,Lq,hd], k [B,H,Lk,hd], v [B,H,Lk,hv]',
      got: `[${q.shape}], [${k.shape}], [${v.shape}]`,
    });
  const mask = opts.keyPaddingMask;
  if (mask && (mask.rank !== 2 || mask.shape[0] !== b || mask.shape[1] !== lk)) {
    throw new ShapeError({ op: 'attention', arg: 'keyPaddingMask', expected: `[${b}, ${lk}]`, got: `[${mask.shape}]` });
  }
  const scale = opts.scale ?? 1 / Math.sqrt(hd);
  return tf.tidy(() => {
    let scores = tf.mul(tf.matMul(q, k, false, true), scale); // [B, H, Lq, Lk]
    let keep: tf.Tensor | undefined; // broadcastable to [B, 1, Lq, Lk], 1 = attend
    if (opts.causal) {
      const allowed = new Float32Array(lq * lk);
      for (let i = 0; i < lq; i++) for (let j = 0; j <= i + lk - lq && j < lk; j++) allowed[i * lk + j] = 1;
      keep = tf.tensor4d(allowed, [1, 1, lq, lk]);
    }
    if (mask) {
      const km = tf.reshape(tf.cast(tf.notEqual(mask, 0), 'float32'), [b, 1, 1, lk]);
      keep = keep ? tf.mul(keep, km) : km;
    }
    if (keep) scores = tf.add(scores, tf.mul(tf.sub(1, keep), FLOAT32_MIN));
    return tf.matMul(tf.softmax(scores), v) as tf.Tensor4D; // [B, H, Lq, hv]
  });
}
