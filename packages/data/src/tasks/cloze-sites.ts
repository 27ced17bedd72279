// Where the offline word tasks of `dlm data mc-cloze` / `dlm data next-word` cut the text: a site is a word of a
// held-out document with the short context that ends right before it (before the space that precedes it), so
// `context + " " + word` is the text as it continues.
//
// Rules (the dataset cards datasets/moby-dick-cloze.md and datasets/moby-dick-next-word.md state them):
//   - a document's whitespace runs are collapsed to one space;
//   - the word is a maximal run of ASCII letters, all lowercase, 1–maxWordChars long, preceded by a space and not
//     joined to another letter (café), a digit, an apostrophe or a hyphen (so neither part of "whale's" or
//     "sea-weed" is a word);
//   - its context is the text before that space, at most contextChars long, starting at a word start (after a space
//     or at the document's start), at least minContextChars long, and printable ASCII only (0x20–0x7e), so a
//     character-level tokenizer built from the training text knows every character.
import type { Document } from '../document.ts';

export interface SiteRules {
  /** Longest context in characters (the context ends right before the space that precedes the word). */
  contextChars: number;
  /** Shortest context (default ⌈contextChars / 2⌉). */
  minContextChars?: number | undefined;
  /** Longest word in letters: a choice `" word"` has at most maxWordChars + 1 characters. */
  maxWordChars: number;
}

export interface ClozeSite {
  /** Id of the document (`moby-dick:chapter-19`). */
  doc: string;
  /** Offset of the word in the whitespace-collapsed document. */
  offset: number;
  /** The text before the word's leading space. */
  context: string;
  /** The word (lowercase ASCII letters). */
  word: string;
}

const WORD = /[A-Za-z]+/g;
const PRINTABLE = /^[\x20-\x7e]*$/;

/** A letter run that is a word of its own: no other letter (é), digit, apostrophe or hyphen right before or after. */
export function wholeWord(text: string, at: number, length: number): boolean {
  const joins = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}'\u2019-]/u.test(c);
  return !joins(text[at - 1]) && !joins(text[at + length]);
}

/** Whitespace runs → one space, trimmed: the text every site offset refers to. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Every site of one document, in text order. */
export function documentSites(doc: Document, rules: SiteRules): ClozeSite[] {
  const minContext = rules.minContextChars ?? Math.ceil(rules.contextChars / 2);
  const text = collapseWhitespace(doc.text);
  const out: ClozeSite[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const at = m.index;
    if (word.length > rules.maxWordChars || word !== word.toLowerCase()) continue;
    if (at < 1 || text[at - 1] !== ' ' || !wholeWord(text, at, word.length)) continue;
    const end = at - 1; // the context ends before the space
    let start = Math.max(0, end - rules.contextChars);
    if (start > 0 && text[start - 1] !== ' ') {
      const space = text.indexOf(' ', start);
      if (space < 0 || space >= end) continue;
      start = space + 1;
    }
    const context = text.slice(start, end);
    if (context.length < minContext || !PRINTABLE.test(context)) continue;
    out.push({ doc: doc.id, offset: at, context, word });
  }
  return out;
}

/**
 * Counts of every maximal letter run that is all lowercase and a whole word (wholeWord), over the documents: the
 * corpus's word list in the form an answer takes ("The" and "I" do not count for "the" and "i", so a lowercase
 * " i" is never a choice).
 */
export function wordCounts(docs: Iterable<Document>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of docs) {
    for (const m of d.text.matchAll(WORD)) {
      const w = m[0];
      if (w !== w.toLowerCase() || !wholeWord(d.text, m.index, w.length)) continue;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}
