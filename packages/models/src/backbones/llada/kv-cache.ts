// LLaDA's per-layer key/value cache as Fast-dLLM keeps it: keys BEFORE rotary, values as projected
// (NVlabs/Fast-dLLM llada/model/modeling_llada.py LLaDABlock.attention, past_key_value / replace_position
// @24cc59e7; fixtures/checkpoints/README.md §7.6–7.7). The reference applies rotary to every cached key again at
// every call; rotary acts on each position alone (k_p·cos_p + rotate_half(k_p)·sin_p), so the cache also keeps the
// rotated keys `kr` of the same positions, updated only where keys change: the same values, without re-rotating
// L keys per layer and call. The rotary tables of the full call's positions are kept too (rows sliced per call).
// The cache owns its tensors: set() disposes what it replaces, dispose() frees everything.
import { ConfigError, ShapeError, brief, rotaryTables, tf, type RotaryTables } from '@dlm/core';

/** One layer's cache, all [B, Hkv, Lc, hd]: keys before rotary, values, keys after rotary at 0 … Lc−1. */
export interface KvEntry {
  k: tf.Tensor4D;
  v: tf.Tensor4D;
  kr: tf.Tensor4D;
}

export class LladaKvCache {
  private layers: (KvEntry | undefined)[];
  /** cos/sin [Lt, hd] of positions 0 … Lt−1 (the last full call's). */
  private tables: RotaryTables | undefined;

  constructor(numLayers: number) {
    this.layers = Array.from({ length: numLayers }, () => undefined);
  }

  get numLayers(): number {
    return this.layers.length;
  }

  /** Whether a full call filled the cache (it may then hold 0 positions: a prefix before the first position). */
  get filled(): boolean {
    return this.layers[0] !== undefined;
  }

  /** Cached positions (0 while empty). */
  get length(): number {
    return this.layers[0]?.k.shape[2] ?? 0;
  }

  /** Layer i's entry (the cache keeps ownership). */
  get(i: number): KvEntry {
    const e = this.layers[i];
    if (!e) throw new ConfigError({ op: 'LladaKvCache.get', arg: `layer ${i}`, expected: 'a filled cache layer' });
    return e;
  }

  /** Takes ownership of layer i's tensors (kept out of any tidy), disposing the ones it replaces. */
  set(i: number, e: KvEntry): void {
    const shapes = [e.k, e.v, e.kr].map((t) => `[${t.shape}]`);
    if (e.k.rank !== 4 || new Set(shapes).size !== 1) {
      const got = shapes.join(', ');
      throw new ShapeError({ op: 'LladaKvCache.set', arg: 'k, v, kr', expected: 'three equal [B, Hkv, Lc, hd]', got });
    }
    const old = this.layers[i];
    this.layers[i] = { k: tf.keep(e.k), v: tf.keep(e.v), kr: tf.keep(e.kr) };
    for (const key of ['k', 'v', 'kr'] as const) if (old && old[key] !== e[key]) old[key].dispose();
  }

  /** Keeps the tables (cos/sin [Lt, hd] of positions 0 … Lt−1), disposing the previous ones. */
  setTables(t: RotaryTables): void {
    const old = this.tables;
    this.tables = { cos: tf.keep(t.cos), sin: tf.keep(t.sin) };
    if (old && old.cos !== t.cos) old.cos.dispose();
    if (old && old.sin !== t.sin) old.sin.dispose();
  }

  /**
   * Tables of positions [from, from + n): rows of the kept tables, or computed when they do not cover them (the
   * same float32 values either way: each row depends on its position only). Tensors of the caller's tidy.
   */
  rope(from: number, n: number, invFreq: Float32Array): RotaryTables {
    const t = this.tables;
    if (t && from + n <= t.cos.shape[0]) {
      const hd = t.cos.shape[1];
      return { cos: tf.slice(t.cos, [from, 0], [n, hd]), sin: tf.slice(t.sin, [from, 0], [n, hd]) };
    }
    return rotaryTables(
      Array.from({ length: n }, (_, i) => from + i),
      invFreq,
    );
  }

  /** Keeps the positions [0, length) of every layer. */
  keepPrefix(length: number): void {
    if (!(Number.isInteger(length) && length >= 0 && length <= this.length)) {
      const expected = `an integer in [0, ${this.length}]`;
      throw new ConfigError({ op: 'LladaKvCache.keepPrefix', arg: 'length', expected, got: brief(length) });
    }
    if (length === this.length) return;
    this.layers.forEach((e, i) => {
      if (!e) return;
      const [b, h, , hd] = e.k.shape;
      const cut = (x: tf.Tensor4D) => tf.slice(x, [0, 0, 0, 0], [b, h, length, hd]);
      this.set(i, { k: cut(e.k), v: cut(e.v), kr: cut(e.kr) });
    });
  }

  dispose(): void {
    for (const e of this.layers) for (const t of e ? [e.k, e.v, e.kr] : []) t.dispose();
    this.layers = this.layers.map(() => undefined);
    this.tables?.cos.dispose();
    this.tables?.sin.dispose();
    this.tables = undefined;
  }
}
