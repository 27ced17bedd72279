// The frequency-matched distractors of `dlm data mc-cloze`: the corpus's word list ranked by count, and for an
// answer the words of nearby rank. Words (lowercase letter runs, as wordCounts counts them) with count ≥ minCount
// and at most maxWordChars letters are ranked by count, descending; ties (most rare words share a count) are
// ordered by an FNV-1a hash of the word, not alphabetically, so a pool is not a run of words with one initial.
// The pool of an answer at rank r is the 2·window words of rank r−window … r+window other than r itself, moved
// to stay inside the list at its ends (rank 0 → ranks 1 … 2·window); distractors are drawn from the pool without
// replacement, so they are never the answer and never repeat, and their counts are close to the answer's (same
// neighbourhood of the Zipf curve).
import { ConfigError, type Rng } from '@dlm/core';

export interface FrequencyListOptions {
  minCount: number;
  maxWordChars: number;
  /** Neighbours on each side of the answer's rank (pool of 2·window words). */
  window: number;
}

export class FrequencyList {
  /** Words by rank (0 = most frequent). */
  readonly words: readonly string[];
  private readonly rank: ReadonlyMap<string, number>;

  constructor(
    readonly counts: ReadonlyMap<string, number>,
    readonly o: FrequencyListOptions,
  ) {
    this.words = [...counts]
      .filter(([w, n]) => n >= o.minCount && w.length <= o.maxWordChars && /^[a-z]+$/.test(w))
      .sort(([a, na], [b, nb]) => nb - na || fnv1a(a) - fnv1a(b) || (a < b ? -1 : 1))
      .map(([w]) => w);
    this.rank = new Map(this.words.map((w, i) => [w, i]));
    if (this.words.length < 2 * o.window + 1) {
      const expected = `a word list of at least ${2 * o.window + 1} words (count ≥ ${o.minCount})`;
      throw new ConfigError({ op: 'FrequencyList', arg: 'counts', expected, got: `${this.words.length} words` });
    }
  }

  /** The rank of `word` (undefined: not in the list). */
  rankOf(word: string): number | undefined {
    return this.rank.get(word);
  }

  /** The 2·window neighbours of `word`'s rank (the answer excluded), most frequent first. */
  pool(word: string): string[] {
    const r = this.rank.get(word);
    if (r === undefined) {
      throw new ConfigError({ op: 'FrequencyList.pool', arg: 'word', expected: 'a word of the list', got: word });
    }
    const w = this.o.window;
    const lo = Math.min(Math.max(0, r - w), this.words.length - 2 * w - 1);
    return this.words.slice(lo, lo + 2 * w + 1).filter((x) => x !== word);
  }

  /** `k` distinct words of `word`'s pool, drawn uniformly with `rng` (in draw order). */
  draw(word: string, k: number, rng: Rng): string[] {
    const pool = this.pool(word);
    const order = rng.permutation(pool.length);
    return Array.from(order.subarray(0, k), (i) => pool[i]!);
  }
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units (a fixed, seed-free order of tied words). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
