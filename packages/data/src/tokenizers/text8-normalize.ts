// text8's character rules (Matt Mahoney's wikifil.pl, the script that made text8 from
// Wikipedia; the markup-stripping part does not apply to plain text):
//   ASCII A–Z are lowercased; each digit is spelled out as a word (" zero " … " nine ");
//   every other character (punctuation, newlines, non-ASCII letters) becomes a space; runs of
//   spaces are squeezed to one.
// Leading and trailing spaces are kept (squeezed to one), exactly as wikifil leaves them, so
// text cut at arbitrary offsets (text8 read in pieces) normalizes to the same stream.
// MDLM's Text8Tokenizer (kuleshov-group/mdlm:dataloader.py) only lowercases and maps anything
// outside a–z/space to its [UNK] id, because text8 is already clean; on text8 the two agree.
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export function text8Normalize(text: string): string {
  const out: string[] = [];
  let pendingSpace = false;
  const word = (w: string) => {
    if (pendingSpace) out.push(' ');
    pendingSpace = false;
    out.push(w);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) word(text[i]!);
    else if (c >= 65 && c <= 90) word(String.fromCharCode(c + 32));
    else if (c >= 48 && c <= 57) {
      pendingSpace = true;
      word(DIGITS[c - 48]!);
      pendingSpace = true;
    } else pendingSpace = true;
  }
  if (pendingSpace) out.push(' ');
  return out.join('');
}
