// Fused output projection + log-softmax + target gather, in chunks of rows:
//   out[n] = log_softmax(h[n]·Wᵀ + b + offset)[target[n]]
// The same numbers as linear → logSoftmax → gather, without ever holding the [N, V] logits (or
// their gradient) at once: the forward keeps only [chunk, V] per step, and the backward (a
// custom gradient) recomputes each chunk's logits from h and W instead of saving them. With a
// 50k vocabulary a [B·L, V] float32 tensor is 200 MB at B·L = 1024, and the unfused graph keeps
// ten or more of them alive for the backward pass, which overflows wasm's 4 GiB heap.
//   ∂out[n]/∂z[n] = onehot(target[n]) − softmax(z[n])           (z the logits of row n)
//   ∂h = G·W, ∂W = Gᵀ·h, ∂b = Σ_n G[n]                          (G [N, V] chunk by chunk)
import { ShapeError, brief } from '../errors.ts';
import { tf } from '../tf.ts';
import { linear } from './linear.ts';

/** Elements of one [chunk, V] float32 block (32 MiB) when chunkRows is not given. */
export const LOG_SOFTMAX_CHUNK_ELEMENTS = 1 << 23;

export interface LinearLogSoftmaxGatherOptions {
  /** [V] bias of the projection (trainable: gets a gradient). */
  bias?: tf.Tensor;
  /** [V] constant added to the logits after the projection (no gradient), e.g. SUBS' −1e6 on the mask column. */
  offset?: tf.Tensor;
  /** Rows per chunk; default ⌊LOG_SOFTMAX_CHUNK_ELEMENTS / V⌋ (at least 1). */
  chunkRows?: number;
}

/** Rows per chunk for a vocabulary of `v` columns. */
export function defaultChunkRows(v: number): number {
  return Math.max(1, Math.floor(LOG_SOFTMAX_CHUNK_ELEMENTS / v));
}

/**
 * @param h       [N, D] float32 (differentiable)
 * @param weight  [V, D] projection weight in torch layout (differentiable)
 * @param targets [N] target column per row (host int array)
 * @returns       [N] log-probability of each row's target
 */
export function linearLogSoftmaxGather(
  h: tf.Tensor,
  weight: tf.Tensor,
  targets: ArrayLike<number>,
  opts: LinearLogSoftmaxGatherOptions = {},
): tf.Tensor1D {
  const op = 'linearLogSoftmaxGather';
  if (h.rank !== 2 || weight.rank !== 2 || h.shape[1] !== weight.shape[1]) {
    const got = `h [${h.shape}] weight [${weight.shape}]`;
    throw new ShapeError({ op, arg: 'h and weight', expected: 'h [N, D] with weight [V, D]', got });
  }
  const [n] = h.shape as [number, number];
  const [v] = weight.shape as [number, number];
  if (targets.length !== n) {
    throw new ShapeError({ op, arg: 'targets', expected: `${n} entries`, got: String(targets.length) });
  }
  for (let i = 0; i < n; i++) {
    const t = targets[i]!;
    if (!(Number.isInteger(t) && t >= 0 && t < v)) {
      throw new ShapeError({ op, arg: 'targets', expected: `ids in [0, ${v})`, got: brief(t) });
    }
  }
  for (const [name, t] of [
    ['bias', opts.bias],
    ['offset', opts.offset],
  ] as const) {
    if (t && (t.rank !== 1 || t.shape[0] !== v)) {
      throw new ShapeError({ op, arg: name, expected: `[${v}]`, got: `[${t.shape}]` });
    }
  }
  const rows = Math.max(1, Math.floor(opts.chunkRows ?? defaultChunkRows(v)));
  const ids = Int32Array.from(targets);
  const offset = opts.offset;
  const starts: number[] = [];
  for (let s = 0; s < n; s += rows) starts.push(s);

  // z = h_c·Wᵀ (+ b) (+ offset), exactly the ops of linear() then add, for rows [s, s + c).
  // The offset travels with the saved tensors: a closure over it would see it disposed by the backward pass.
  type Inputs = { hh: tf.Tensor; w: tf.Tensor; b: tf.Tensor | undefined; off: tf.Tensor | undefined };
  const chunkLogits = ({ hh, w, b, off }: Inputs, s: number, c: number): tf.Tensor2D => {
    const z = linear(tf.slice(hh, [s, 0], [c, -1]), w, b);
    return (off ? tf.add(z, off) : z) as tf.Tensor2D;
  };
  // Flat indices of (row, target) in a [c, V] block.
  const targetIndex = (s: number, c: number) =>
    tf.tensor1d(
      Int32Array.from({ length: c }, (_, i) => i * v + ids[s + i]!),
      'int32',
    );

  const forward = (x: Inputs): tf.Tensor1D =>
    tf.tidy(() => {
      if (n === 0) return tf.zeros([0]) as tf.Tensor1D;
      const parts = starts.map((s) =>
        tf.tidy(() => {
          const c = Math.min(rows, n - s);
          const logp = tf.logSoftmax(chunkLogits(x, s, c)); // [c, V]
          return tf.gather(tf.reshape(logp, [-1]), targetIndex(s, c)); // [c]
        }),
      );
      return (parts.length === 1 ? parts[0]! : tf.concat(parts)) as tf.Tensor1D;
    });

  const backward = (dy: tf.Tensor, x: Inputs): tf.Tensor[] => {
    const { hh, w, b } = x;
    let dW: tf.Tensor = tf.zerosLike(w);
    let dB: tf.Tensor | undefined = b ? tf.zerosLike(b) : undefined;
    const dhParts: tf.Tensor[] = [];
    for (const s of starts) {
      const c = Math.min(rows, n - s);
      const [dh, dWNext, dBNext] = tf.tidy(() => {
        const p = tf.exp(tf.logSoftmax(chunkLogits(x, s, c))); // [c, V] softmax
        const onehot = tf.cast(tf.oneHot(tf.tensor1d(ids.subarray(s, s + c), 'int32'), v), 'float32');
        const g = tf.mul(tf.sub(onehot, p), tf.reshape(tf.slice(dy, [s], [c]), [c, 1])); // [c, V] ∂/∂z
        const dWc = tf.matMul(g, tf.slice(hh, [s, 0], [c, -1]), true, false); // [V, D]
        const out: tf.Tensor[] = [tf.matMul(g, w), tf.add(dW, dWc)];
        if (dB) out.push(tf.add(dB, tf.sum(g, 0)));
        return out;
      });
      dhParts.push(dh!);
      dW.dispose();
      dW = dWNext!;
      if (dB) {
        dB.dispose();
        dB = dBNext!;
      }
    }
    const dh = n === 0 ? tf.zerosLike(hh) : dhParts.length === 1 ? dhParts[0]! : tf.concat(dhParts);
    if (dhParts.length > 1) for (const t of dhParts) t.dispose();
    return dB ? [dh, dW, dB] : [dh, dW];
  };

  const keep = (t: tf.Tensor[]) => (offset ? [...t, offset] : t);
  const withBias = Boolean(opts.bias);
  // tf.customGrad's inputs arrive as (...tensors, save); the saved list is [h, W, (b), (offset)].
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [hh, w, b] = args.slice(0, -1) as tf.Tensor[];
    save(keep(withBias ? [hh!, w!, b!] : [hh!, w!]));
    const unpack = (saved: tf.Tensor[]): Inputs => {
      const k = withBias ? 3 : 2;
      return { hh: saved[0]!, w: saved[1]!, b: withBias ? saved[2] : undefined, off: offset ? saved[k] : undefined };
    };
    return {
      value: forward({ hh: hh!, w: w!, b: withBias ? b : undefined, off: offset }),
      gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => backward(dy, unpack(saved)),
    };
  });
  return (withBias ? f(h, weight, opts.bias!) : f(h, weight)) as tf.Tensor1D;
}
