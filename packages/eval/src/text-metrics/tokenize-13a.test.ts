// Expected strings: the 13a rules of tokenize-13a.ts applied with Python's re (CPython 3.11), which is what
// sacreBLEU runs; several are the fixture's own lines.
import { describe, expect, it } from 'vitest';
import { tokenize13a } from './tokenize-13a.ts';

describe('tokenize13a', () => {
  it.each([
    ['It costs $1,299.99 and weighs 3.5 kg.', 'It costs $ 1,299.99 and weighs 3.5 kg .'],
    ['The meeting starts at 10:30 on 2024-05-17.', 'The meeting starts at 10 : 30 on 2024 - 05 - 17 .'],
    ['He said "stop" (twice) [loudly].', 'He said " stop " ( twice ) [ loudly ] .'],
    ["Well... it's fine, isn't it?", "Well . . . it's fine , isn't it ?"],
    ['state-of-the-art models/methods', 'state-of-the-art models / methods'],
    ['e.g. U.S.A., 1.5, .5 ,5 5. a.b', 'e . g . U . S . A . , 1.5 , . 5 , 5 5 . a . b'],
    ['3-4 a-b 1,a', '3 - 4 a-b 1 , a'],
    ['The café — naïve…', 'The café — naïve…'],
  ])('%j', (input, expected) => {
    expect(tokenize13a(input)).toBe(expected);
  });

  it('removes <skipped> and "-\\n", turns line breaks into spaces, unescapes four entities in order', () => {
    expect(tokenize13a('a<skipped>b co-\noperate\nnext')).toBe('ab cooperate next');
    // '&amp;lt;' → '&lt;' → '<': each replacement sees the previous one's output.
    expect(tokenize13a('x &lt; y &amp;&amp; z &quot;q&quot; &amp;lt;')).toBe('x < y & & z " q " <');
  });

  it("splits on Python's whitespace and gives '' for blank input", () => {
    expect(tokenize13a('tab\tsep\u001c\u0085end')).toBe('tab sep end');
    expect(tokenize13a('')).toBe('');
    expect(tokenize13a('   ')).toBe('');
  });
});
