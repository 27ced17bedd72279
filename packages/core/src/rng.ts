// Seeded, splittable random numbers on the host, in float64.
//
// Generator: xoshiro128** (Blackman & Vigna) on four uint32 words; seeding and splitting go
// through a 32-bit avalanche hash (the murmur3 finaliser) so that `split('masking')` and
// `split('sampling')` give unrelated streams, and the same (seed, path) always gives the
// same stream. Each stream's state is four integers, so it is saved in checkpoints and
// restored exactly (`state()` / `Rng.fromState`).
import { ConfigError, brief } from './errors.ts';

export interface RngState {
  /** The split path from the root seed, for humans ("7/data/epoch-3"). */
  path: string;
  /** xoshiro128** state words. */
  s: [number, number, number, number];
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash a string into a uint32 sequence of `n` words, mixed with `salt` words. */
function hashWords(text: string, salt: readonly number[], n: number): number[] {
  let h = 0x9e3779b9;
  for (const w of salt) h = fmix32(h ^ w) + 0x6d2b79f5;
  for (let i = 0; i < text.length; i++) h = fmix32(h ^ text.charCodeAt(i)) + 0x632be59b;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    h = fmix32(h + 0x9e3779b9 * (i + 1));
    out.push(h);
  }
  // xoshiro's all-zero state is a fixed point: make sure at least one word is non-zero.
  if (!out.some((w) => w !== 0)) out[0] = 1;
  return out;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  readonly path: string;

  private constructor(words: readonly number[], path: string) {
    [this.s0, this.s1, this.s2, this.s3] = words.map((w) => w >>> 0) as [number, number, number, number];
    this.path = path;
  }

  /** A root stream from an integer seed (any safe integer, including negatives). */
  static seeded(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) {
      throw new ConfigError({ op: 'Rng.seeded', arg: 'seed', expected: 'a safe integer', got: brief(seed) });
    }
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    return new Rng(hashWords('root', [lo, hi], 4), String(seed));
  }

  static fromState(state: RngState): Rng {
    const ok =
      Array.isArray(state?.s) &&
      state.s.length === 4 &&
      state.s.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32);
    if (!ok || state.s.every((w) => w === 0)) {
      throw new ConfigError({
        op: 'Rng.fromState',
        arg: 'state.s',
        expected: 'four uint32 words, not all zero',
        got: brief(state?.s),
      });
    }
    return new Rng(state.s, state.path);
  }

  /**
   * An independent child stream named `name`. Deterministic in (this stream's current state, name):
   * splitting does not advance this stream, so the order of splits does not matter.
   */
  split(name: string): Rng {
    return new Rng(hashWords(name, [this.s0, this.s1, this.s2, this.s3], 4), `${this.path}/${name}`);
  }

  state(): RngState {
    return { path: this.path, s: [this.s0, this.s1, this.s2, this.s3] };
  }

  /** Next uint32 (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform float64 in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform float64 in (0, 1): never exactly 0, safe under log. */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** Fill a Float64Array of length n with uniforms in [0, 1). */
  uniforms(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform();
    return out;
  }

  /** Integer uniformly in [lo, hi) without modulo bias. */
  int(lo: number, hi: number): number {
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && hi > lo && hi - lo <= 2 ** 32)) {
      throw new ConfigError({
        op: 'Rng.int',
        arg: '[lo, hi)',
        expected: 'integers with lo < hi and hi - lo <= 2^32',
        got: `[${lo}, ${hi})`,
      });
    }
    const range = hi - lo;
    const limit = 2 ** 32 - (2 ** 32 % range);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return lo + (x % range);
  }

  /** Standard normal (Box–Muller, float64). */
  normal(): number {
    const u1 = this.uniformOpen();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
