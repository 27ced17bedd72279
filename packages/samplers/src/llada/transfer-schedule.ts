// How many masked tokens to commit at each step of one block (LLaDA's linear schedule).
// ML-GSAI/LLaDA:generate.py:get_num_transfer_tokens: with n masked tokens in a row and
// `steps` steps, every step gets n // steps and the first n % steps steps get one more,
// e.g. 10 masks over 4 steps → [3, 3, 2, 2].
import { ConfigError, brief, type Nd } from '@dlm/core';
import { assertPositiveInt } from '../token-ids.ts';

/**
 * @param mask  [B, L] 0/1 (or boolean-as-number): 1 where the position is masked
 * @returns     [B, steps] int32, each row summing to that row's mask count
 */
export function getNumTransferTokens(mask: Nd<Uint8Array | Int32Array>, steps: number): Nd<Int32Array> {
  const op = 'getNumTransferTokens';
  assertPositiveInt(op, 'steps', steps);
  if (mask.shape.length !== 2)
    throw new ConfigError({ op, arg: 'mask', expected: 'a [B, L] array', got: `shape [${mask.shape}]` });
  const [b, l] = mask.shape as [number, number];
  const out = new Int32Array(b * steps);
  for (let r = 0; r < b; r++) {
    let n = 0;
    for (let j = 0; j < l; j++) {
      const m = mask.data[r * l + j]!;
      if (m !== 0 && m !== 1) throw new ConfigError({ op, arg: 'mask', expected: '0/1 values', got: brief(m) });
      n += m;
    }
    const base = Math.floor(n / steps);
    const rem = n % steps;
    for (let s = 0; s < steps; s++) out[r * steps + s] = base + (s < rem ? 1 : 0);
  }
  return { data: out, shape: [b, steps] };
}
