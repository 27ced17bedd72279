// Timestep respacing: keep a subset of the base process's timesteps and recompute β so that the
// kept ᾱ values are unchanged: β'_k = 1 − ᾱ_{s_k} / ᾱ_{s_{k−1}} (ᾱ before the first kept step = 1).
// The model is then called with the ORIGINAL timestep s_k (timestep_map).
// Source: XiangLi1999/Diffusion-LM improved-diffusion/improved_diffusion/respace.py:{space_timesteps,
// SpacedDiffusion.__init__}.
import { ConfigError, brief } from '@dlm/core';

export interface Respaced {
  /** New β, one per kept timestep, in increasing original-time order. */
  readonly betas: Float64Array;
  /** timestepMap[k] = original timestep of new step k. */
  readonly timestepMap: Int32Array;
}

/** SpacedDiffusion's β recomputation from the base ᾱ and the set of kept timesteps. */
export function respaceBetas(alphasCumprod: Float64Array, useTimesteps: Iterable<number>): Respaced {
  const keep = new Set<number>();
  for (const s of useTimesteps) {
    if (!Number.isInteger(s) || s < 0 || s >= alphasCumprod.length) {
      throw new ConfigError({
        op: 'respaceBetas',
        arg: 'useTimesteps',
        expected: `integers in [0, ${alphasCumprod.length})`,
        got: brief(s),
      });
    }
    keep.add(s);
  }
  if (keep.size === 0)
    throw new ConfigError({ op: 'respaceBetas', arg: 'useTimesteps', expected: 'at least one timestep', got: '[]' });
  const betas: number[] = [];
  const map: number[] = [];
  let last = 1.0;
  for (let i = 0; i < alphasCumprod.length; i++) {
    if (!keep.has(i)) continue;
    const a = alphasCumprod[i]!;
    betas.push(1 - a / last);
    last = a;
    map.push(i);
  }
  return { betas: Float64Array.from(betas), timestepMap: Int32Array.from(map) };
}

/** Python's round(): half to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Timesteps to keep: `"ddimN"` = the integer stride giving exactly N steps (DDIM paper), or a list
 * of per-section counts (e.g. "10,15,20" or [10, 15, 20]) over equal portions of [0, T).
 * Source: respace.py:space_timesteps. Returned sorted ascending.
 */
export function spaceTimesteps(T: number, sectionCounts: string | readonly number[]): number[] {
  const op = 'spaceTimesteps';
  let counts: number[];
  if (typeof sectionCounts === 'string') {
    if (sectionCounts.startsWith('ddim')) {
      const desired = Number(sectionCounts.slice(4));
      for (let stride = 1; stride < T; stride++) {
        if (Math.ceil(T / stride) === desired) {
          const out: number[] = [];
          for (let s = 0; s < T; s += stride) out.push(s);
          return out;
        }
      }
      throw new ConfigError({
        op,
        arg: 'sectionCounts',
        expected: `"ddimN" with N reachable by an integer stride of ${T} steps`,
        got: brief(sectionCounts),
      });
    }
    counts = sectionCounts.split(',').map((x) => Number(x));
  } else {
    counts = [...sectionCounts];
  }
  if (counts.length === 0 || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new ConfigError({
      op,
      arg: 'sectionCounts',
      expected: 'non-negative integer step counts',
      got: brief(sectionCounts),
    });
  }
  const sizePer = Math.floor(T / counts.length);
  const extra = T % counts.length;
  let start = 0;
  const all = new Set<number>();
  counts.forEach((count, i) => {
    const size = sizePer + (i < extra ? 1 : 0);
    if (size < count)
      throw new ConfigError({
        op,
        arg: `sectionCounts[${i}]`,
        expected: `at most ${size} (the section size)`,
        got: `${count}`,
      });
    const frac = count <= 1 ? 1 : (size - 1) / (count - 1);
    let cur = 0.0;
    for (let k = 0; k < count; k++) {
      all.add(start + roundHalfEven(cur));
      cur += frac;
    }
    start += size;
  });
  return [...all].sort((a, b) => a - b);
}
