// Every attribute's rule on hand-checked texts, its labels, and the named errors of the slot.
import { describe, expect, it } from 'vitest';
import { UnknownComponentError } from '@dlm/core';
import { attributes, bindAttribute } from './registry.ts';

describe('control attributes', () => {
  it('lists its attributes', () => {
    expect(attributes.names()).toEqual(['keyword', 'word-count']);
  });

  it('keyword: whole words by default, case-insensitive; substrings with whole_word false', () => {
    const he = bindAttribute({ name: 'keyword', word: 'he' });
    expect(he.labels).toEqual(['absent', 'present']);
    const cases: [string, number][] = [
      ['he said', 1],
      ['said He.', 1],
      ['the whale', 0],
      ['hello', 0],
      ['(he)', 1],
      ['she', 0],
      ['théhe', 0], // é is a letter: no boundary before the second "he"
      ['', 0],
    ];
    for (const [text, want] of cases) expect([text, he.label(text)]).toEqual([text, want]);
    const sub = bindAttribute({ name: 'keyword', word: 'he', whole_word: false });
    expect(['the whale', 'hello', 'h e', 'HE'].map(sub.label)).toEqual([1, 1, 0, 1]);
    const cased = bindAttribute({ name: 'keyword', word: 'He', case_sensitive: true });
    expect(['He went', 'he went', 'the'].map(cased.label)).toEqual([1, 0, 0]);
    // "ee" overlapping matches: the second occurrence is found after the first fails the boundary test.
    const ee = bindAttribute({ name: 'keyword', word: 'ee' });
    expect(['eee', 'see ee', 'ee'].map(ee.label)).toEqual([0, 1, 1]);
  });

  it('word-count: buckets by boundaries, labels named by their ranges', () => {
    const wc = bindAttribute({ name: 'word-count', boundaries: [5, 7] });
    expect(wc.labels).toEqual(['0-4', '5-6', '7+']);
    const cases: [string, number][] = [
      ['', 0],
      ['  one two  three four ', 0],
      ['a b c d e', 1],
      ['a b c d e f', 1],
      ['a\tb\nc d e f g', 2],
    ];
    for (const [text, want] of cases) expect([text, wc.label(text)]).toEqual([text, want]);
    expect(bindAttribute({ name: 'word-count', boundaries: [5, 6] }).labels).toEqual(['0-4', '5', '6+']);
  });

  it('named errors: unknown attribute (lists the names), bad and unknown knobs', () => {
    expect(() => bindAttribute({ name: 'sentiment' })).toThrow(UnknownComponentError);
    expect(() => bindAttribute({ name: 'sentiment' })).toThrow(/keyword, word-count/);
    expect(() => bindAttribute({ name: 'keyword', word: '' })).toThrow();
    expect(() => bindAttribute({ name: 'keyword', word: 'a', colour: 1 })).toThrow(/colour/);
    expect(() => bindAttribute({ name: 'word-count', boundaries: [5, 5] })).toThrow(/increase strictly/);
  });
});
