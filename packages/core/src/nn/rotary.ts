// Rotary position embedding, non-interleaved ("rotate-half" / GPT-NeoX halves), over the whole
// head dim: the layout of flash_attn's apply_rotary_emb_qkv_ (interleaved=False) used by SEDD/MDLM
// and of LLaDA's RotaryEmbedding (fixtures/checkpoints/README.md §2.3, §5):
//   inv_freq[i] = 1 / base^(2i/hd)            i = 0 … hd/2−1
//   emb[p]      = concat(p·inv_freq, p·inv_freq)   (hd)
//   x'          = x·cos(emb) + rotate_half(x)·sin(emb),  rotate_half(x) = concat(−x[hd/2:], x[:hd/2])
// On the native path (nativeFusedOn) applyRotary is one kernel with the same float32 roundings, and its gradient
// one more (kernels/native-rotary.ts).
import { ConfigError, ShapeError, brief } from '../errors.ts';
import { tf } from '../tf.ts';
import { nativeFusedOn } from '../kernels/native-heap.ts';
import { ROTARY } from '../kernels/native-rotary.ts';

/** 1 / base^(arange(0, hd, 2)/hd), rounded to float32 as the float32 reference computes it. */
export function rotaryInvFreq(headDim: number, base = 10000): Float32Array {
  if (!(Number.isInteger(headDim) && headDim >= 2 && headDim % 2 === 0)) {
    throw new ConfigError({
      op: 'rotaryInvFreq',
      arg: 'headDim',
      expected: 'an even integer ≥ 2',
      got: brief(headDim),
    });
  }
  if (!(base > 0))
    throw new ConfigError({ op: 'rotaryInvFreq', arg: 'base', expected: 'a positive number', got: brief(base) });
  const out = new Float32Array(headDim / 2);
  for (let i = 0; i < headDim / 2; i++) out[i] = 1 / base ** ((2 * i) / headDim);
  return out;
}

export interface RotaryTables {
  /** [L, hd] */
  cos: tf.Tensor2D;
  /** [L, hd] */
  sin: tf.Tensor2D;
}

/**
 * cos/sin tables for the given positions (a length L means positions 0 … L−1). Computed in
 * float32 tfjs ops, as torch does: freqs = outer(p, inv_freq) then cos/sin of concat(freqs, freqs).
 * @param invFreq [hd/2] (a stored buffer such as SEDD's `rotary_emb.inv_freq`, or rotaryInvFreq())
 */
export function rotaryTables(positions: number | ArrayLike<number>, invFreq: tf.Tensor | Float32Array): RotaryTables {
  const pos =
    typeof positions === 'number'
      ? Float32Array.from({ length: positions }, (_, i) => i)
      : Float32Array.from(positions);
  return tf.tidy(() => {
    const inv = invFreq instanceof Float32Array ? tf.tensor1d(invFreq) : tf.reshape(invFreq, [-1]);
    const freqs = tf.mul(tf.tensor2d(pos, [pos.length, 1]), tf.reshape(inv, [1, -1])); // [L, hd/2]
    const emb = tf.concat([freqs, freqs], 1); // [L, hd]
    return { cos: tf.cos(emb) as tf.Tensor2D, sin: tf.sin(emb) as tf.Tensor2D };
  });
}

/** concat(−x2, x1) of the two halves of the last axis. @param x [..., hd] */
export function rotateHalf(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [x1, x2] = tf.split(x, 2, x.rank - 1) as [tf.Tensor, tf.Tensor];
    return tf.concat([tf.neg(x2), x1], x.rank - 1);
  });
}

/**
 * x·cos + rotate_half(x)·sin.
 * @param x [..., L, hd] (e.g. q or k as [B, H, L, hd])
 * @param t tables [L, hd]
 */
export function applyRotary(x: tf.Tensor, t: RotaryTables): tf.Tensor {
  const [l, hd] = t.cos.shape;
  if (x.rank < 2 || x.shape[x.rank - 2] !== l || x.shape[x.rank - 1] !== hd) {
    throw new ShapeError({
      op: 'applyRotary',
      arg: 'x',
      expected: `[..., ${l}, ${hd}] (tables [L, hd])`,
      got: `[${x.shape}]`,
    });
  }
  if (nativeFusedOn(x) && t.cos.dtype === 'float32' && t.sin.dtype === 'float32' && x.size > 0)
    return tf.engine().runKernel(ROTARY, { x, cos: t.cos, sin: t.sin }) as tf.Tensor;
  return tf.tidy(() => tf.add(tf.mul(x, t.cos), tf.mul(rotateHalf(x), t.sin)));
}
