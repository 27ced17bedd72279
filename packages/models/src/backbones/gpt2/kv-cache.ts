// The key/value cache of GPT-2 incremental decoding: per layer the keys and values of every position
// seen so far (after the c_attn projection; GPT-2 has no rotary, so nothing depends on the query), plus
// the attention mask of those positions, so that padding keys stay masked and position ids keep counting
// real tokens only in later calls (HF `past_key_values` + the attention_mask the caller extends).
import type { tf } from '@dlm/core';

export class Gpt2KvCache {
  /**
   * @param keys   per layer [B, H, P, hd]
   * @param values per layer [B, H, P, hd]
   * @param mask   [B, P] float32, 1 = real token, 0 = padding
   * @param padded whether any entry of `mask` is 0 (then the key padding mask is applied)
   */
  constructor(
    readonly keys: readonly tf.Tensor4D[],
    readonly values: readonly tf.Tensor4D[],
    readonly mask: tf.Tensor2D,
    readonly padded: boolean,
  ) {}

  /** P: positions held. */
  get length(): number {
    return this.mask.shape[1];
  }

  get batch(): number {
    return this.mask.shape[0];
  }

  /** Frees every tensor (the cache a forward returns is new; the one passed in stays the caller's). */
  dispose(): void {
    for (const t of [...this.keys, ...this.values, this.mask]) t.dispose();
  }
}
