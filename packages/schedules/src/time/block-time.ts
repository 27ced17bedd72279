// Block diffusion time (BD3-LM, kuleshov-group/bd3lms:diffusion.py:Diffusion._sample_t): one time per
// block of `blockSize` consecutive positions; every position carries the time of its block.
//   u [B, nBlocks] uniforms, nBlocks = L / blockSize
//   antithetic: u ← (u / (B·nBlocks) + arange(B·nBlocks)/(B·nBlocks)) mod 1   (row-major over [B, nBlocks])
//   t = u·(eps_max − eps_min) + eps_min   (t ≡ 1 when eps_min ≥ 1 and eps_max ≥ 1, as the reference)
//   t per position [B, L] = t of block ⌊l / blockSize⌋   (torch repeat_interleave)
// The reference floors L / blockSize; here L must be a multiple of blockSize (else positions would have no block).
import { ConfigError, ShapeError, brief } from '@dlm/core';

export interface BlockTimeOptions {
  batch: number;
  length: number;
  blockSize: number;
  antithetic?: boolean;
  /** sampling_eps_min (1e-3 in BD3-LM's config). */
  epsMin?: number;
  /** sampling_eps_max (1 in BD3-LM's config). */
  epsMax?: number;
}

function positiveInt(op: string, arg: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0))
    throw new ConfigError({ op, arg, expected: 'a positive integer', got: brief(v) });
}

/** Number of blocks of a length-L sequence; ConfigError unless blockSize divides L. */
export function numBlocks(length: number, blockSize: number, op = 'numBlocks'): number {
  positiveInt(op, 'length', length);
  positiveInt(op, 'blockSize', blockSize);
  if (length % blockSize !== 0)
    throw new ConfigError({ op, arg: 'blockSize', expected: `a divisor of length ${length}`, got: brief(blockSize) });
  return length / blockSize;
}

/** Per-position times [B, L] from per-block times [B, nBlocks] (t of position l = t of block ⌊l / blockSize⌋). */
export function expandBlockTimes(
  tPerBlock: ArrayLike<number>,
  batch: number,
  length: number,
  blockSize: number,
): Float64Array {
  const op = 'expandBlockTimes';
  const nb = numBlocks(length, blockSize, op);
  positiveInt(op, 'batch', batch);
  if (tPerBlock.length !== batch * nb)
    throw new ShapeError({
      op,
      arg: 'tPerBlock',
      expected: `[${batch}, ${nb}] = ${batch * nb} values`,
      got: `${tPerBlock.length}`,
    });
  const out = new Float64Array(batch * length);
  for (let b = 0; b < batch; b++) {
    for (let l = 0; l < length; l++) {
      const t = tPerBlock[b * nb + Math.floor(l / blockSize)]!;
      if (!(t >= 0 && t <= 1))
        throw new ConfigError({
          op,
          arg: 'tPerBlock',
          expected: 'times in [0, 1]',
          got: `${brief(t)} at row ${b}, block ${Math.floor(l / blockSize)}`,
        });
      out[b * length + l] = t;
    }
  }
  return out;
}

/** BD3-LM's block times [B, L] from uniforms [B, nBlocks] (see the header for the formula). */
export function blockTimes(uniforms: ArrayLike<number>, o: BlockTimeOptions): Float64Array {
  const op = 'blockTimes';
  const nb = numBlocks(o.length, o.blockSize, op);
  positiveInt(op, 'batch', o.batch);
  const n = o.batch * nb;
  if (uniforms.length !== n)
    throw new ShapeError({
      op,
      arg: 'uniforms',
      expected: `[${o.batch}, ${nb}] = ${n} values`,
      got: `${uniforms.length}`,
    });
  const epsMin = o.epsMin ?? 1e-3;
  const epsMax = o.epsMax ?? 1;
  if (!(epsMin >= 0 && epsMax >= epsMin && epsMax <= 1)) {
    throw new ConfigError({
      op,
      arg: 'epsMin/epsMax',
      expected: '0 ≤ epsMin ≤ epsMax ≤ 1',
      got: `${brief(epsMin)}/${brief(epsMax)}`,
    });
  }
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = uniforms[i]!;
    if (!(u >= 0 && u <= 1))
      throw new ConfigError({ op, arg: 'uniforms', expected: 'values in [0, 1]', got: `${brief(u)} at index ${i}` });
    const e = o.antithetic ? (u / n + i / n) % 1 : u;
    t[i] = epsMin >= 1 && epsMax >= 1 ? 1 : e * (epsMax - epsMin) + epsMin;
  }
  return expandBlockTimes(t, o.batch, o.length, o.blockSize);
}
