// LLaDA's forward with a key/value cache, three ways (NVlabs/Fast-dLLM llada/model/modeling_llada.py
// LLaDABlock.attention with past_key_value / use_cache / replace_position @24cc59e7; README §7.6–7.7):
//   full:     ids [B, L] at positions 0 … L−1, as the plain forward; every layer's k (before rotary), v and the
//             rotated keys are cached, with the rotary tables of 0 … L−1
//   append:   ids [B, n] after the c cached positions: K = cache ++ k_new, V = cache ++ v_new (the cache itself is
//             left as it is); rotary on K at 0 … c+n−1 and on q at c … c+n−1
//   replace:  ids [B, n] at [s, s+n) inside the cache: K, V = the cache with [s, s+n) overwritten, written back;
//             rotary on K at 0 … Lc−1 and on q at s … s+n−1
// Rotary acts on each position alone, so the rotated cached keys (kv-cache.ts) stand for re-rotating the cached
// keys at every call, as the reference does: only the new keys are rotated, at their positions.
// Attention: softmax(q Kᵀ/√hd) V over every key (bidirectional, no mask), the rest of the block as the plain forward.
import { ConfigError, ShapeError, applyRotary, attention, embedding, rmsNorm, rotaryTables, tf } from '@dlm/core';
import { lladaBlockOutput, lladaQkv, repeatKvHeads } from './block.ts';
import { paramProjection, type LladaInferenceWeights } from './inference-weights.ts';
import type { KvEntry, LladaKvCache } from './kv-cache.ts';
import type { LladaModel } from './llada.ts';

const T = 'model.transformer';
const OP = 'lladaKvForward';

export type LladaKvCall = { kind: 'full' } | { kind: 'append' } | { kind: 'replace'; start: number };

/** [B, H, Lc, hd] with positions [s, s+n) replaced by `mid` [B, H, n, hd]. */
function spliced(all: tf.Tensor4D, mid: tf.Tensor4D, s: number): tf.Tensor4D {
  const [b, h, lc, hd] = all.shape;
  const n = mid.shape[2];
  const parts: tf.Tensor4D[] = [];
  if (s > 0) parts.push(tf.slice(all, [0, 0, 0, 0], [b, h, s, hd]));
  parts.push(mid);
  if (s + n < lc) parts.push(tf.slice(all, [0, 0, s + n, 0], [b, h, lc - s - n, hd]));
  return parts.length === 1 ? mid : tf.concat(parts, 2);
}

function check(ids: tf.Tensor, cache: LladaKvCache, call: LladaKvCall): void {
  if (ids.rank !== 2 || ids.dtype !== 'int32') {
    throw new ShapeError({ op: OP, arg: 'ids', expected: 'int32 [B, n]', got: `${ids.dtype} [${ids.shape}]` });
  }
  const [b, n] = ids.shape as [number, number];
  if (call.kind === 'full') return;
  if (!cache.filled) {
    throw new ConfigError({
      op: OP,
      arg: 'cache',
      expected: `a cache filled by a full call before a ${call.kind} call`,
    });
  }
  const cached = cache.length;
  if (call.kind === 'replace' && !(Number.isInteger(call.start) && call.start >= 0 && call.start + n <= cached)) {
    const expected = `a range [start, start + ${n}) inside the ${cached} cached positions`;
    throw new ConfigError({ op: OP, arg: 'start', expected, got: String(call.start) });
  }
  const rows = cache.get(0).k.shape[0];
  if (rows !== b) throw new ShapeError({ op: OP, arg: 'ids', expected: `${rows} rows like the cache`, got: `${b}` });
}

/**
 * @param ids int32 [B, n]; @param cache filled by a `full` call before `append` / `replace`
 * @param weights pre-transposed weights (generation; the same products as `linear` on the parameters)
 * @returns logits [B, n, V] of the given positions
 */
export function lladaKvForward(
  model: LladaModel,
  ids: tf.Tensor,
  cache: LladaKvCache,
  call: LladaKvCall,
  weights?: LladaInferenceWeights,
): tf.Tensor3D {
  check(ids, cache, call);
  const proj = weights?.project ?? paramProjection(model.params);
  const o = model.options;
  const p = model.params;
  const n = ids.shape[1]!;
  const written: KvEntry[] = [];
  const logits = tf.tidy(() => {
    const qStart = call.kind === 'full' ? 0 : call.kind === 'append' ? cache.length : call.start;
    let rope;
    if (call.kind === 'full') {
      rope = rotaryTables(n, model.invFreq); // [L, hd]
      cache.setTables(rope);
    } else {
      rope = cache.rope(qStart, n, model.invFreq); // [n, hd], positions of the new tokens
    }
    const rep = o.heads / o.kvHeads;
    let x = embedding(p.get(`${T}.wte.weight`), ids); // [B, n, D]
    for (let i = 0; i < o.layers; i++) {
      const { q, k, v } = lladaQkv(p, i, o, x, proj); // q [B, H, n, hd]; k, v [B, Hkv, n, hd] before rotary
      const kr = applyRotary(k, rope) as tf.Tensor4D; // the new keys at their positions
      let keys = kr; // rotated keys the queries attend to
      let values = v;
      if (call.kind === 'full') {
        written.push({ k: tf.keep(k), v: tf.keep(v), kr: tf.keep(kr) });
      } else if (call.kind === 'append') {
        keys = tf.concat([cache.get(i).kr, kr], 2);
        values = tf.concat([cache.get(i).v, v], 2);
      } else {
        const e = cache.get(i);
        keys = spliced(e.kr, kr, call.start);
        values = spliced(e.v, v, call.start);
        written.push({ k: tf.keep(spliced(e.k, k, call.start)), v: tf.keep(values), kr: tf.keep(keys) });
      }
      const att = attention(applyRotary(q, rope), repeatKvHeads(keys, rep), repeatKvHeads(values, rep)); // [B,H,n,hd]
      x = lladaBlockOutput(p, i, o, x, att, proj);
    }
    const h = rmsNorm(x, { weight: p.get(`${T}.ln_f.weight`), eps: o.rmsNormEps });
    return proj(h, `${T}.ff_out.weight`) as tf.Tensor3D; // [B, n, V]
  });
  written.forEach((e, i) => cache.set(i, e));
  return logits;
}
