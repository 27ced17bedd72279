import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UnknownComponentError } from '@dlm/core';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.ts';
import { charTokenizer } from './char.ts';
import { buildTokenizer, tokenizerFromState } from './registry.ts';
import { text8Normalize } from './text8-normalize.ts';
import { stateHash } from './tokenizer.ts';
import { splitWords } from './word.ts';
import { withSpecials } from './with-specials.ts';

async function* texts(...xs: string[]): AsyncIterable<string> {
  yield* xs;
}

describe('text8Normalize (wikifil.pl character rules)', () => {
  it('lowercases, spells digits, maps other characters to one space (ends kept, squeezed)', () => {
    expect(text8Normalize('Call me Ishmael. Some years ago—never mind')).toBe(
      'call me ishmael some years ago never mind',
    );
    expect(text8Normalize('In 1851, 2 whales!')).toBe('in one eight five one two whales ');
    expect(text8Normalize('  Café\n\n"naïve"  ')).toBe(' caf na ve ');
    expect(text8Normalize('ab1cd')).toBe('ab one cd');
    expect(text8Normalize('...')).toBe(' ');
    expect(text8Normalize('')).toBe('');
  });
  it('normalizes text cut at any offset to the same stream', () => {
    const x = 'the cat sat on the mat';
    for (let cut = 0; cut <= x.length; cut++)
      expect(text8Normalize(x.slice(0, cut)) + text8Normalize(x.slice(cut))).toBe(x);
  });
});

describe('char tokenizer', () => {
  it('has 27 symbols: a–z are 0–25, space is 26', () => {
    const t = charTokenizer();
    expect(t.vocabSize).toBe(27);
    expect(Array.from(t.encode('Ab z'))).toEqual([0, 1, 26, 25]);
    expect(t.decode([7, 8, 26, 0])).toBe('hi a');
  });
  it('decode(encode(x)) is the text8-normalized text', () => {
    const t = charTokenizer();
    const x = 'The Pequod, 3 masts; "Thar she blows!"';
    expect(t.decode(t.encode(x))).toBe(text8Normalize(x));
  });
  it('rejects out-of-range ids', () => {
    expect(() => charTokenizer().decode([27])).toThrow(ConfigError);
  });
});

describe('char-vocab tokenizer', () => {
  it('builds the vocabulary from data in code-point order with <unk> first', async () => {
    const t = await buildTokenizer({ name: 'char-vocab' }, () => texts('bab', 'é!'));
    expect(t.state().vocab).toEqual(['<unk>', '!', 'a', 'b', 'é']);
    expect(Array.from(t.encode('abé?'))).toEqual([2, 3, 4, 0]);
    expect(t.specials.unk).toBe(0);
    expect(t.decode([3, 2, 1])).toBe('ba!');
  });
  it('honours minCount and lowercase, and refuses unseen characters without unk', async () => {
    const t = await buildTokenizer({ name: 'char-vocab', options: { minCount: 2, lowercase: true, unk: false } }, () =>
      texts('AaBc'),
    );
    expect(t.state().vocab).toEqual(['a']);
    expect(() => t.encode('b')).toThrow(/char-vocab.encode/);
  });
});

describe('word tokenizer', () => {
  it('splits words (with inner apostrophes) and punctuation', () => {
    expect(splitWords("Don't stop, Ahab's whale—now!")).toEqual([
      "Don't",
      'stop',
      ',',
      "Ahab's",
      'whale',
      '—',
      'now',
      '!',
    ]);
  });
  it('orders the vocabulary by count, maps rare words to <unk>, decodes with punctuation spacing', async () => {
    const t = await buildTokenizer({ name: 'word', options: { minCount: 2 } }, () =>
      texts('the whale, the sea.', 'the whale. a ship'),
    );
    expect(t.state().vocab).toEqual(['<unk>', 'the', '.', 'whale']);
    expect(Array.from(t.encode('the whale swam.'))).toEqual([1, 3, 0, 2]);
    expect(t.decode([1, 3, 2])).toBe('the whale.');
  });
  it('caps the vocabulary with maxVocab (including <unk>)', async () => {
    const t = await buildTokenizer({ name: 'word', options: { minCount: 1, maxVocab: 2 } }, () => texts('a a b'));
    expect(t.state().vocab).toEqual(['<unk>', 'a']);
  });
  it('needs training text', async () => {
    await expect(buildTokenizer({ name: 'word' })).rejects.toThrow(DataError);
  });
});

describe('gpt2 tokenizer', () => {
  it('is GPT-2 BPE with 50257 ids and never emits <|endoftext|> from text', async () => {
    const t = await buildTokenizer({ name: 'gpt2' });
    expect(t.vocabSize).toBe(50257);
    expect(Array.from(t.encode('Hello world'))).toEqual([15496, 995]);
    expect(Array.from(t.encode('<|endoftext|>'))).not.toContain(50256);
    expect(t.decode(t.encode(' Call me Ishmael.'))).toBe(' Call me Ishmael.');
  });
});

describe('hf tokenizer (tokenizer.json)', () => {
  const wordPiece = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 0, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: { '[UNK]': 0, call: 1, me: 2, ish: 3, '##mael': 4, '.': 5, '[MASK]': 6 },
    },
  };
  it('encodes and decodes through the file; the state pins the file by sha256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlm-hf-'));
    const path = join(dir, 'tokenizer.json');
    writeFileSync(path, JSON.stringify(wordPiece));
    const t = await buildTokenizer({ name: 'hf', options: { path }, specials: { mask: 6, bos: true } });
    expect(t.vocabSize).toBe(8);
    expect(Array.from(t.encode('Call me Ishmael. Queequeg'))).toEqual([1, 2, 3, 4, 5, 0]);
    expect(t.specials).toMatchObject({ unk: 0, mask: 6, bos: 7 });
    expect(t.decode([1, 2, 3, 4])).toBe('call me ishmael');
    const again = await tokenizerFromState(JSON.parse(JSON.stringify(t.state())));
    expect(stateHash(again)).toBe(stateHash(t));
    writeFileSync(path, JSON.stringify({ ...wordPiece, normalizer: null }));
    await expect(tokenizerFromState(t.state())).rejects.toThrow(/has changed/);
  });
});

describe('withSpecials', () => {
  it('appends ids after the base vocabulary in the order bos, eos, pad, mask (mask last)', () => {
    const t = withSpecials(charTokenizer(), { mask: true, bos: true, eos: true, pad: true });
    expect(t.specials).toEqual({ bos: 27, eos: 28, pad: 29, mask: 30 });
    expect(t.vocabSize).toBe(31);
    expect(Array.from(t.encode('ab'))).toEqual([0, 1]);
    expect(t.decode([27, 0, 1, 28, 30])).toBe('[BOS]ab[EOS][MASK]');
    expect(t.decode([27, 0, 1, 28, 30], { specials: 'skip' })).toBe('ab');
  });
  it('reuses existing ids when given a number (GPT-2 style BOS = EOS = 50256)', async () => {
    const t = await buildTokenizer({ name: 'gpt2', specials: { bos: 50256, eos: 50256, mask: true } });
    expect(t.specials).toEqual({ bos: 50256, eos: 50256, mask: 50257 });
    expect(t.vocabSize).toBe(50258);
    // skip drops reused specials too: <|endoftext|> does not appear inside sample text.
    const ids = [...t.encode('The whale'), 50256, ...t.encode(' sank')];
    expect(t.decode(ids)).toBe('The whale<|endoftext|> sank');
    expect(t.decode(ids, { specials: 'skip' })).toBe('The whale sank');
  });
  it('rejects unknown names, bad ids and double wrapping', () => {
    expect(() => withSpecials(charTokenizer(), { sep: true } as never)).toThrow(ConfigError);
    expect(() => withSpecials(charTokenizer(), { bos: 27 })).toThrow(/existing id in \[0, 27\)/);
    expect(() => withSpecials(withSpecials(charTokenizer(), { mask: true }), { mask: true })).toThrow(
      /already has mask/,
    );
  });
});

describe('tokenizer state', () => {
  it('round-trips through JSON for every data-built tokenizer, specials included', async () => {
    for (const name of ['char', 'char-vocab', 'word', 'gpt2']) {
      const t = await buildTokenizer({ name, specials: { bos: true, eos: true, mask: true } }, () =>
        texts('the whale the sea', 'the ship'),
      );
      const back = await tokenizerFromState(JSON.parse(JSON.stringify(t.state())));
      expect(back.vocabSize).toBe(t.vocabSize);
      expect(back.specials).toEqual(t.specials);
      expect(Array.from(back.encode('the sea ship'))).toEqual(Array.from(t.encode('the sea ship')));
      expect(stateHash(back)).toBe(stateHash(t));
    }
  });
  it('different vocabularies hash differently', async () => {
    const a = await buildTokenizer({ name: 'word', options: { minCount: 1 } }, () => texts('a b'));
    const b = await buildTokenizer({ name: 'word', options: { minCount: 1 } }, () => texts('a c'));
    expect(stateHash(a)).not.toBe(stateHash(b));
  });
  it('an unknown tokenizer name lists the registered ones', async () => {
    await expect(buildTokenizer({ name: 'bpe' })).rejects.toThrow(UnknownComponentError);
    await expect(buildTokenizer({ name: 'bpe' })).rejects.toThrow(/char, char-vocab, word, gpt2, hf/);
  });
});
