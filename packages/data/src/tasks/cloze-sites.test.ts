import { describe, expect, it } from 'vitest';
import { collapseWhitespace, documentSites, wholeWord, wordCounts } from './cloze-sites.ts';

const doc = {
  id: 'd',
  text: "Call me Ishmael.  Some years\nago, never mind how long precisely, the whale's sea-weed café grew enormously big",
};

describe('documentSites', () => {
  const rules = { contextChars: 20, maxWordChars: 9 };
  const sites = documentSites(doc, rules);
  const text = collapseWhitespace(doc.text);

  it('cuts before the space that precedes a lowercase whole word, contexts ≤ contextChars from a word start', () => {
    expect(sites.map((s) => s.word)).toEqual(['years', 'ago', 'never', 'mind', 'how', 'long', 'precisely', 'the']);
    for (const s of sites) {
      expect(text.slice(s.offset - 1 - s.context.length, s.offset + s.word.length)).toBe(`${s.context} ${s.word}`);
      expect(s.context.length).toBeLessThanOrEqual(20);
      expect(s.context.length).toBeGreaterThanOrEqual(10);
      const start = s.offset - 1 - s.context.length;
      expect(start === 0 || text[start - 1] === ' ').toBe(true);
    }
    expect(sites[0]!.context).toBe('me Ishmael. Some');
    expect(sites[1]!.context).toBe('Ishmael. Some years');
    expect(sites.find((s) => s.word === 'never')!.context).toBe('Some years ago,');
  });

  it('skips words joined by an apostrophe or hyphen, too long, capitalised, or with non-ASCII context', () => {
    const words = sites.map((s) => s.word);
    for (const w of ['whale', 's', 'sea', 'weed', 'caf', 'grew', 'Some', 'me']) expect(words).not.toContain(w);
    // "grew" follows "café" (a non-ASCII context); "me" has a context of 4 < 10 characters.
    const plain = { id: 'p', text: 'and then the sea grew enormously big and old' };
    expect(documentSites(plain, rules).map((s) => s.word)).toEqual(['sea', 'grew', 'big', 'and', 'old']);
    expect(documentSites(plain, { contextChars: 20, maxWordChars: 10 }).map((s) => s.word)).toEqual([
      'sea',
      'grew',
      'enormously',
      'big',
      'and',
      'old',
    ]);
  });

  it('wholeWord and the lowercase whole-word counts', () => {
    expect(wholeWord("the whale's", 4, 5)).toBe(false);
    expect(wholeWord('the whale is', 4, 5)).toBe(true);
    const counts = wordCounts([doc, { id: 'e', text: 'The the I i never' }]);
    expect(counts.get('the')).toBe(2);
    expect(counts.get('i')).toBe(1);
    expect(counts.get('never')).toBe(2);
    expect(counts.has('whale')).toBe(false);
    expect(counts.has('s')).toBe(false);
    expect(counts.has('Some')).toBe(false);
  });
});
