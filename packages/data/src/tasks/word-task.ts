// What `dlm data mc-cloze` and `dlm data next-word` share: the options, their defaults and checks, and the seeded
// choice of `num` sites (cloze-sites.ts) from a corpus's held-out split. The held-out split keeps the task out of
// the text the quickstart models train on (the train split; splits.ts gives each corpus's rule).
import { ConfigError, Rng, brief } from '@dlm/core';
import type { Document, SplitName } from '../document.ts';
import { getDataset } from '../corpora/registry.ts';
import { documentSites, type ClozeSite } from './cloze-sites.ts';

export interface WordTaskOptions {
  /** A registered dataset (`moby-dick`). */
  dataset: string;
  /** A held-out split (default test). */
  split?: 'test' | 'validation' | undefined;
  /** Questions / rows (default 600). */
  num?: number | undefined;
  seed?: number | undefined;
  /** Longest context in characters (default 20). */
  contextChars?: number | undefined;
  /** Longest answer word in letters (default 9: a choice " word" has ≤ 10 characters). */
  maxWordChars?: number | undefined;
  /** Raw-file folder for datasets that are not bundled. */
  rawDir?: string | undefined;
}

export type ResolvedWordTask = Required<Omit<WordTaskOptions, 'rawDir'>> & { rawDir?: string | undefined };

export const WORD_TASK_DEFAULTS = { split: 'test', num: 600, seed: 0, contextChars: 20, maxWordChars: 9 } as const;
export const HELD_OUT_SPLITS = ['test', 'validation'] as const;

/** Fills the defaults and checks every option (named ConfigErrors; `op` names the command). */
export function resolveWordTask(o: WordTaskOptions, op: string): ResolvedWordTask {
  const r = { ...WORD_TASK_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
  const int = (arg: string, v: unknown, min: number) => {
    if (!(Number.isInteger(v) && (v as number) >= min)) {
      throw new ConfigError({ op, arg, expected: `an integer ≥ ${min}`, got: brief(v) });
    }
  };
  int('--num', r.num, 1);
  int('--context-chars', r.contextChars, 4);
  int('--word-chars', r.maxWordChars, 1);
  if (!Number.isSafeInteger(r.seed))
    throw new ConfigError({ op, arg: '--seed', expected: 'an integer', got: brief(r.seed) });
  if (!(HELD_OUT_SPLITS as readonly string[]).includes(r.split)) {
    const expected = `a held-out split (${HELD_OUT_SPLITS.join(' | ')}): the train split is what the models learn from`;
    throw new ConfigError({ op, arg: '--split', expected, got: brief(r.split) });
  }
  return r as ResolvedWordTask;
}

/** Every document of every split of the dataset, and the held-out split's documents. */
export async function readTaskCorpus(
  o: ResolvedWordTask,
): Promise<{ all: Document[]; heldOut: Document[]; splitRule: string }> {
  const entry = getDataset(o.dataset, o.rawDir !== undefined ? { rawDir: o.rawDir } : {});
  const all: Document[] = [];
  let heldOut: Document[] = [];
  for (const split of entry.splits) {
    const docs: Document[] = [];
    for await (const d of entry.documents(split as SplitName)) docs.push(d);
    all.push(...docs);
    if (split === o.split) heldOut = docs;
  }
  return { all, heldOut, splitRule: entry.splitRule };
}

/**
 * `num` sites of the held-out documents that pass `keep`, drawn without replacement with `Rng.seeded(seed)`
 * (split 'sites'), returned in corpus order. Fewer eligible sites than `num` is an error.
 */
export function chooseSites(
  docs: readonly Document[],
  o: ResolvedWordTask,
  op: string,
  keep: (s: ClozeSite) => boolean = () => true,
): ClozeSite[] {
  const rules = { contextChars: o.contextChars, maxWordChars: o.maxWordChars };
  const sites = docs.flatMap((d) => documentSites(d, rules)).filter(keep);
  if (sites.length < o.num) {
    const expected = `at most the ${sites.length} eligible sites of ${o.dataset} (${o.split})`;
    throw new ConfigError({ op, arg: '--num', expected, got: String(o.num) });
  }
  const order = Rng.seeded(o.seed).split('sites').permutation(sites.length);
  const picked = Array.from(order.subarray(0, o.num)).sort((a, b) => a - b);
  return picked.map((i) => sites[i]!);
}

/** The stream of one site's draws: depends on the seed and the site only (not on `num`). */
export function siteRng(seed: number, s: ClozeSite): Rng {
  return Rng.seeded(seed).split(`site ${s.doc}@${s.offset}`);
}
