// The text `dlm eval likelihood` scores, tokenized with THE MODEL's tokenizer and packed into blocks of the model's
// length: a registered dataset's split (any corpus, for zero-shot tables: train on one, evaluate on others), local
// .txt/.jsonl files, or, by default, a run's own data. The unigram baseline of the same tokens comes from the train
// split of the same data (add-one over the model's vocabulary, specials excluded); local files have no train split,
// so no baseline.
//
//   dataset  every split is tokenized once with the model's base tokenizer (appended specials stripped; the shards
//            hold base ids, as `dlm data prepare` shards do) into `<cache root>/<dataset>/tok-<state hash>` and
//            reused; the requested split is packed with the model's packing (a run's data.packing, `wrap` for a
//            folder: [BOS] chunk [EOS] as MDLM's zero-shot evaluation) and BOS/EOS of the model's vocabulary.
//   files    `--data <path|glob>`: .txt (one document per file) or .jsonl (one per line, field `text`); a glob has
//            `*` / `?` in its file name only (`corpus/*.txt`). Every document is evaluated (no split rule).
//   run      the run's own dataset and tokenizer as `dlm train` opened them (its validation split is exactly the
//            blocks bare `dlm eval` scores).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError } from '@dlm/core';
import {
  cacheRoot,
  datasets,
  getDataset,
  loadPrepared,
  packBlocks,
  prepare,
  readDocuments,
  stateHash,
  tokenDocs,
  tokenizerFromState,
  type PackedBlocks,
  type SplitName,
  type Tokenizer,
} from '@dlm/data';
import { unigramPerplexity } from '@dlm/eval';
import type { TokenBatch, VocabInfo } from '@dlm/models';
import type { OpenedModel } from './open-model.ts';
import { unigramBaseline, validationBatches } from './validation.ts';

export interface EvalDataSpec {
  /** A registered dataset name, or a .txt/.jsonl path or glob; absent = the run's own dataset. */
  data?: string | undefined;
  split: SplitName;
  /** Block length (≤ the model's maximum length). */
  length: number;
  op: string;
  log?: (line: string) => void;
}

export interface EvalData {
  /** 'run' (the run's own data), 'dataset' (registered) or 'files'. */
  kind: 'run' | 'dataset' | 'files';
  /** Dataset name ('files' for local files). */
  name: string;
  /** The split scored ('all' for local files). */
  split: SplitName | 'all';
  /** Absolute paths of local files. */
  files?: string[] | undefined;
  packing: string;
  length: number;
  /** Rows of the packed blocks and what packing dropped. */
  blocks: PackedBlocks;
  /** Unigram baseline of the same tokens under train-split counts; absent when the data has no train split. */
  unigram?: { perplexity: number; natsPerToken: number } | undefined;
  /** Runs trained on `data.pairs`: their held-out pairs are batched as bare `dlm eval` batches them. */
  pairBatches?: ((count: number) => TokenBatch[]) | undefined;
}

const TEXT_FORMATS: Readonly<Record<string, string>> = { '.txt': 'txt', '.jsonl': 'jsonl' };

/** Ids the packing needs and the baseline skips: the tokenizer's specials with the model vocabulary's BOS/EOS/PAD. */
function packingSpecials(tok: Tokenizer, vocab: VocabInfo): Tokenizer['specials'] {
  return {
    ...tok.specials,
    ...(vocab.bosId !== undefined ? { bos: vocab.bosId } : {}),
    ...(vocab.eosId !== undefined ? { eos: vocab.eosId } : {}),
    ...(vocab.padId !== undefined ? { pad: vocab.padId } : {}),
    ...(vocab.maskId !== undefined ? { mask: vocab.maskId } : {}),
  };
}

const specialIds = (sp: Tokenizer['specials']) =>
  [sp.bos, sp.eos, sp.pad, sp.mask].filter((x): x is number => x !== undefined);

/** The model's tokenizer without appended specials (what prepared shards hold). */
async function baseTokenizer(tok: Tokenizer): Promise<Tokenizer> {
  const { specials, ...state } = tok.state();
  return specials ? tokenizerFromState(state) : tok;
}

/** `--data` as local files: a path, or a glob with `*` / `?` in its file name; undefined when it names none. */
export function localFiles(arg: string, op: string): string[] | undefined {
  const wild = /[*?]/.test(basename(arg));
  const looksLikePath = wild || arg.includes('/') || extname(arg) in TEXT_FORMATS || existsSync(arg);
  if (!looksLikePath) return undefined;
  const expected = 'a .txt or .jsonl file, or a glob of them (`corpus/*.txt`)';
  let files: string[];
  if (wild) {
    const dir = dirname(arg);
    const re = new RegExp(
      `^${basename(arg)
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    const names = existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((n) => re.test(n)) : [];
    files = names.sort().map((n) => resolve(dir, n));
    if (files.length === 0) throw new ConfigError({ op, arg: `--data ${arg}`, expected }, 'matches no file');
  } else {
    if (!existsSync(arg)) throw new ConfigError({ op, arg: `--data ${arg}`, expected }, 'does not exist');
    files = [resolve(arg)];
  }
  for (const f of files) {
    if (!statSync(f).isFile()) throw new ConfigError({ op, arg: `--data ${f}`, expected }, 'is not a file');
    if (!(extname(f) in TEXT_FORMATS)) {
      throw new ConfigError({ op, arg: `--data ${f}`, expected, got: extname(f) || 'no extension' });
    }
  }
  return files;
}

/** Opens the evaluation data of `m` (see the header); every bad input is a named error before any work. */
export async function openEvalData(m: OpenedModel, tok: Tokenizer, o: EvalDataSpec): Promise<EvalData> {
  const { op } = o;
  const s = m.session;
  const packing = s ? s.config.data.packing : 'wrap';
  const sp = packingSpecials(tok, m.vocab);
  const exclude = specialIds(sp);
  if (o.data === undefined) {
    if (!s) {
      const expected = `a registered dataset (${datasets.names().join(', ')}) or .txt/.jsonl files`;
      throw new ConfigError({ op, arg: '--data', expected }, `is required for a checkpoint folder (${m.path})`);
    }
    return runOwnData(m, o, packing);
  }
  const files = localFiles(o.data, op);
  if (files) {
    const docs: Int32Array[] = [];
    for (const path of files) {
      const format = TEXT_FORMATS[extname(path)]!;
      for await (const d of readDocuments({ format, path })) {
        const ids = tok.encode(d.text);
        if (ids.length) docs.push(ids);
      }
    }
    if (docs.length === 0) {
      throw new ConfigError({ op, arg: `--data ${o.data}`, expected: 'at least one non-empty document' }, 'is empty');
    }
    const blocks = packBlocks(tokenDocs(docs), packing, o.length, sp);
    checkRows(blocks, o, `${files.length} file(s)`);
    return { kind: 'files', name: 'files', split: 'all', files, packing, length: o.length, blocks };
  }
  if (!datasets.has(o.data)) {
    const expected = `a registered dataset (${datasets.names().join(', ')}) or a .txt/.jsonl path or glob`;
    throw new ConfigError({ op, arg: `--data ${o.data}`, expected }, 'is not a known dataset or file');
  }
  const rawDir = s?.config.data.raw_dir;
  const entry = getDataset(o.data, rawDir ? { rawDir } : {});
  if (!entry.splits.includes(o.split)) {
    const expected = `a split of ${o.data} (${entry.splits.join(', ')})`;
    throw new ConfigError({ op, arg: `--split ${o.split}`, expected }, 'is not available');
  }
  const base = await baseTokenizer(tok);
  const dir = join(cacheRoot(), entry.cacheName ?? entry.name, `tok-${stateHash(base).slice(0, 12)}`);
  await prepare(entry, base, dir, {
    ...(rawDir ? { rawDir } : {}),
    onProgress: (p) => {
      if (p.done) o.log?.(`${p.dataset} ${p.split}: ${p.documents} documents, ${p.tokens} tokens`);
    },
  });
  const prepared = await loadPrepared(dir);
  const blocks = packBlocks(prepared.split(o.split), packing, o.length, sp);
  checkRows(blocks, o, `${o.data} ${o.split}`);
  const train = prepared.split('train').values;
  const uni = unigramPerplexity(train, blocks.tokens, m.vocab.size, {
    exclude,
    ...(blocks.attentionMask ? { evalMask: blocks.attentionMask } : {}),
  });
  return { kind: 'dataset', name: o.data, split: o.split, packing, length: o.length, blocks, unigram: uni };
}

function checkRows(blocks: PackedBlocks, o: EvalDataSpec, what: string): void {
  if (blocks.rows === 0) {
    const expected = `at least one block of ${o.length} tokens`;
    throw new ConfigError({ op: o.op, arg: '--data', expected, got: `${what}: too short` }, 'packs into no block');
  }
}

/** The run's own dataset and tokenizer, as opened by its session (the blocks bare `dlm eval` scores). */
function runOwnData(m: OpenedModel, o: EvalDataSpec, packing: string): EvalData {
  const s = m.session!;
  const name = s.config.data.files ? `${s.config.data.dataset} (data.files)` : s.config.data.dataset;
  if (o.length !== s.length) {
    const expected = `the run's data.length ${s.length} for its own data (or --data <dataset> to repack)`;
    throw new ConfigError({ op: o.op, arg: '--length', expected, got: String(o.length) });
  }
  if (s.pairs) {
    if (o.split !== 'validation') {
      const expected = 'validation (a run on data.pairs holds out every validation_every-th pair)';
      throw new ConfigError({ op: o.op, arg: `--split ${o.split}`, expected }, 'is not available');
    }
    const v = s.pairs.validation;
    const blocks: PackedBlocks = {
      rows: v.shape[0],
      length: v.shape[1],
      tokens: v.ids,
      stats: { documents: v.shape[0], droppedTokens: 0, truncatedDocuments: 0 },
    };
    return {
      kind: 'run',
      name,
      split: 'validation',
      packing,
      length: s.length,
      blocks,
      unigram: unigramBaseline(s),
      pairBatches: (count) => validationBatches(s, count),
    };
  }
  const available = s.data.prepared.manifest.splits;
  if (!available[o.split]) {
    const expected = `a split of the run's data (${Object.keys(available).join(', ')})`;
    throw new ConfigError({ op: o.op, arg: `--split ${o.split}`, expected }, 'is not available');
  }
  const blocks = s.data.blocks(o.split);
  checkRows(blocks, o, `${name} ${o.split}`);
  const train = s.data.blocks('train');
  const sp = s.data.tokenizer.specials;
  const uni = unigramPerplexity(train.tokens, blocks.tokens, s.vocab.size, {
    exclude: specialIds(sp),
    ...(train.attentionMask ? { trainMask: train.attentionMask } : {}),
    ...(blocks.attentionMask ? { evalMask: blocks.attentionMask } : {}),
  });
  return { kind: 'run', name, split: o.split, packing, length: s.length, blocks, unigram: uni };
}

/** The blocks in order, `batchSize` rows per batch (the last one may be shorter), at most `count` batches. */
export function blockBatches(blocks: PackedBlocks, batchSize: number, count = Infinity): TokenBatch[] {
  const out: TokenBatch[] = [];
  const L = blocks.length;
  for (let r = 0; r < blocks.rows && out.length < count; r += batchSize) {
    const n = Math.min(batchSize, blocks.rows - r);
    const shape = [n, L];
    out.push({
      ids: { data: blocks.tokens.slice(r * L, (r + n) * L), shape },
      ...(blocks.attentionMask ? { attention: { data: blocks.attentionMask.slice(r * L, (r + n) * L), shape } } : {}),
    });
  }
  return out;
}
