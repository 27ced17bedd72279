// The three pieces of Python `str` behaviour that sacreBLEU and rouge-score rely on, written once so every metric
// splits and counts text the way the reference packages do:
//   pySplit(s)    = s.split()    whitespace is Python's str.isspace set (CPython 3.11, checked over every code
//                                point): U+0009–000D, U+001C–001F, U+0020, U+0085, U+00A0, U+1680, U+2000–200A,
//                                U+2028, U+2029, U+202F, U+205F, U+3000. JavaScript's \s differs: it has U+FEFF
//                                and lacks U+001C–001F and U+0085.
//   pyRstrip(s)   = s.rstrip()   the same whitespace set, right side only.
//   codePoints(s) = list(s)      Python indexes code points, JavaScript UTF-16 units; n-grams of characters and
//                                `len(word)` must count code points.

/** One Python whitespace character (str.isspace), as a regex character class body. */
const PY_SPACE =
  '\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT_RE = new RegExp(`[${PY_SPACE}]+`, 'u');
const RSTRIP_RE = new RegExp(`[${PY_SPACE}]+$`, 'u');
const SPACE_RE = new RegExp(`^[${PY_SPACE}]$`, 'u');

/** Python's `s.split()`: split on runs of whitespace, no empty pieces (so `''` and `'  '` give `[]`). */
export function pySplit(s: string): string[] {
  return s.split(SPLIT_RE).filter((w) => w.length > 0);
}

/** Python's `s.rstrip()`: drop trailing whitespace. */
export function pyRstrip(s: string): string {
  return s.replace(RSTRIP_RE, '');
}

/** Python's `c.isspace()` for one character. */
export function pyIsSpace(c: string): boolean {
  return SPACE_RE.test(c);
}

/** The code points of `s` (Python's `list(s)`); a surrogate pair is one element. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
