// LLaDA's per-layer key/value cache as Fast-dLLM keeps it: keys BEFORE rotary (rotary is applied to the whole
// key sequence at every call), values as projected (NVlabs/Fast-dLLM llada/model/modeling_llada.py
// LLaDABlock.attention, past_key_value / replace_position @24cc59e7; fixtures/checkpoints/README.md §7.6–7.7).
// The cache owns its tensors: set() disposes what it replaces, dispose() frees everything.
import { ConfigError, ShapeError, brief, tf } from '@dlm/core';

export class LladaKvCache {
  /** Per layer: keys and values [B, Hkv, Lc, hd]. */
  private layers: ({ k: tf.Tensor4D; v: tf.Tensor4D } | undefined)[];

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

  /** Layer i's keys and values [B, Hkv, Lc, hd] (the cache keeps ownership). */
  get(i: number): { k: tf.Tensor4D; v: tf.Tensor4D } {
    const e = this.layers[i];
    if (!e) throw new ConfigError({ op: 'LladaKvCache.get', arg: `layer ${i}`, expected: 'a filled cache layer' });
    return e;
  }

  /** Takes ownership of k and v [B, Hkv, Lc, hd] (kept out of any tidy) for layer i, disposing the old pair. */
  set(i: number, k: tf.Tensor4D, v: tf.Tensor4D): void {
    if (k.rank !== 4 || v.rank !== 4 || k.shape.join() !== v.shape.join()) {
      const got = `k [${k.shape}], v [${v.shape}]`;
      throw new ShapeError({ op: 'LladaKvCache.set', arg: 'k, v', expected: 'two [B, Hkv, Lc, hd] tensors', got });
    }
    const old = this.layers[i];
    this.layers[i] = { k: tf.keep(k), v: tf.keep(v) };
    if (old && old.k !== k) old.k.dispose();
    if (old && old.v !== v) old.v.dispose();
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
      const k = tf.slice(e.k, [0, 0, 0, 0], [b, h, length, hd]);
      const v = tf.slice(e.v, [0, 0, 0, 0], [b, h, length, hd]);
      this.set(i, k, v);
    });
  }

  dispose(): void {
    for (const e of this.layers) {
      e?.k.dispose();
      e?.v.dispose();
    }
    this.layers = this.layers.map(() => undefined);
  }
}
