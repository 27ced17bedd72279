// `hf`: a Hugging Face tokenizer.json (BPE, WordPiece, Unigram models) via @huggingface/tokenizers.
// Options: `path` to tokenizer.json; a tokenizer_config.json beside it is read when present.
// encode never adds the file's post-processor specials ([CLS]/[SEP], <s>): specials are
// chosen explicitly with withSpecials (e.g. `{mask: 103}` to reuse BERT's [MASK]).
// The state records the path and the file's sha256; rebuilding from a state whose file
// changed is an error.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { checkIds, sha256Hex, type Tokenizer, type TokenizerState } from './tokenizer.ts';

export async function hfTokenizer(options: Record<string, unknown>, expectedSha256?: string): Promise<Tokenizer> {
  const o = checkOptions<{ path: string }>('hf tokenizer', options, { path: 'string' });
  if (!o.path)
    throw new DataError({ op: 'hf tokenizer', arg: 'options.path', expected: 'the path of a tokenizer.json' });
  const path = resolve(o.path);
  if (!existsSync(path))
    throw new DataError({ op: 'hf tokenizer', arg: path, expected: 'an existing tokenizer.json' }, 'not found');
  const bytes = readFileSync(path);
  const sha256 = sha256Hex(bytes);
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw new DataError(
      {
        op: 'hf tokenizer',
        arg: path,
        expected: `sha256 ${expectedSha256} (the file the state was made with)`,
        got: sha256,
      },
      'has changed',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new DataError({ op: 'hf tokenizer', arg: path, expected: 'JSON', got: (e as Error).message });
  }
  const cfgPath = join(dirname(path), 'tokenizer_config.json');
  const config: unknown = existsSync(cfgPath) ? JSON.parse(readFileSync(cfgPath, 'utf8')) : {};
  const { Tokenizer: HfTokenizer } = await import('@huggingface/tokenizers');
  let tok: InstanceType<typeof HfTokenizer>;
  try {
    tok = new HfTokenizer(json as object, config as object);
  } catch (e) {
    throw new DataError({
      op: 'hf tokenizer',
      arg: path,
      expected: 'a tokenizer.json the library supports (BPE, WordPiece, Unigram)',
      got: (e as Error).message,
    });
  }
  const vocab = tok.get_vocab() as unknown;
  const ids =
    vocab instanceof Map
      ? [...(vocab as Map<string, number>).values()]
      : Object.values(vocab as Record<string, number>);
  for (const id of tok.get_added_tokens_decoder().keys()) ids.push(id);
  const vocabSize = ids.reduce((m, id) => Math.max(m, id + 1), 0);
  const unk = (json as { model?: { unk_token?: string } }).model?.unk_token;
  const unkId = unk === undefined ? undefined : tok.token_to_id(unk);
  return {
    name: 'hf',
    vocabSize,
    specials: unkId === undefined ? {} : { unk: unkId },
    encode(text: string): Int32Array {
      const out = tok.encode(text, { add_special_tokens: false }).ids;
      const arr = new Int32Array(out.length);
      for (let i = 0; i < out.length; i++) {
        const id = out[i];
        if (typeof id !== 'number')
          throw new DataError({
            op: 'hf.encode',
            arg: path,
            expected: 'a tokenizer model the library supports (its ids came back undefined)',
          });
        arr[i] = id;
      }
      return arr;
    },
    decode(ids: ArrayLike<number>): string {
      checkIds('hf.decode', ids, vocabSize);
      return tok.decode(Array.from(ids));
    },
    state: (): TokenizerState => ({ name: 'hf', version: 1, options: { path: o.path! }, sha256 }),
  };
}
