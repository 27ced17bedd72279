import { describe, expect, it } from 'vitest';
import { codePoints, pyIsSpace, pyRstrip, pySplit } from './python-str.ts';

describe('Python str helpers', () => {
  it("split() uses Python's whitespace set, not JavaScript's \\s", () => {
    expect(pySplit('  a\tb\n\nc  ')).toEqual(['a', 'b', 'c']);
    expect(pySplit('')).toEqual([]);
    expect(pySplit(' \t ')).toEqual([]);
    // U+001C–001F and U+0085 are whitespace in Python (not in JS \s); U+FEFF is not (JS \s has it).
    expect(pySplit('a\u001cb\u001fc\u0085d')).toEqual(['a', 'b', 'c', 'd']);
    expect(pySplit('a\ufeffb')).toEqual(['a\ufeffb']);
    expect(pySplit('a\u00a0b\u3000c\u2028d')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rstrip() drops trailing whitespace only', () => {
    expect(pyRstrip('  a b \t\n\u0085')).toBe('  a b');
    expect(pyRstrip('a\ufeff')).toBe('a\ufeff');
    expect(pyRstrip('   ')).toBe('');
  });

  it('isspace and code points', () => {
    expect([' ', '\u001d', '\u0085', '\ufeff', 'x'].map(pyIsSpace)).toEqual([true, true, true, false, false]);
    expect(codePoints('a😀é')).toEqual(['a', '😀', 'é']);
    expect('a😀é'.length).toBe(4);
  });
});
