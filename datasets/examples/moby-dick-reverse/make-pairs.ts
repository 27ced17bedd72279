// Writes pairs.jsonl beside this file: a word-order reversal task in DiffuSeq's own JSONL format, one
// {"src": phrase, "trg": the same words in reverse order} per line, for experiments/diffuseq/quickstart.yaml
// (card: datasets/moby-dick-reverse.md). Deterministic: rerunning writes the same bytes.
//   node --import @dlm/core/loader/register.mjs datasets/examples/moby-dick-reverse/make-pairs.ts
// 1. Vocabulary: the `word` tokenizer {lowercase: true, maxVocab: 501} built from the `moby-dick` train chapters
//    (what `data.tokenizer` builds for the experiment): `<unk>` + the 500 most frequent tokens; its all-letter
//    tokens ([a-z]+) are the phrase words, the punctuation tokens are not.
// 2. Phrases: each train chapter, lowercased and split like the tokenizer (splitWords), is cut into runs of
//    consecutive vocabulary words; any other token (punctuation, a rarer word, a word with an apostrophe or a
//    digit) ends a run. A run of m words is cut into ⌈m/6⌉ consecutive pieces of near-equal length (the i-th
//    ends at round(i·m/k)); pieces of MIN_WORDS–6 words are the phrases. The pieces never overlap.
// 3. The distinct phrases (first-occurrence order) are shuffled with Rng.seeded(SEED) (Fisher–Yates) and the
//    first N_PAIRS kept, so every src is distinct and rows in file order are a random sample of the book.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '@dlm/core';
import { buildTokenizer, getDataset, splitWords } from '@dlm/data';
import { corpusBleu, diffuseqMeanBleu, sentenceBleu } from '@dlm/eval/text-metrics';

const N_PAIRS = 4400;
const MIN_WORDS = 4;
const MAX_WORDS = 6;
const SEED = 10;
const TOKENIZER = { name: 'word', options: { lowercase: true, maxVocab: 501 } };

const out = fileURLToPath(new URL('./pairs.jsonl', import.meta.url));
const chapters: string[] = [];
for await (const doc of getDataset('moby-dick').documents('train')) chapters.push(doc.text);
const tok = await buildTokenizer(TOKENIZER, async function* () {
  yield* chapters;
});
const vocab = tok.state().vocab ?? [];
const words = new Set(vocab.slice(1).filter((w) => /^[a-z]+$/.test(w)));

const seen = new Set<string>();
const phrases: string[] = [];
const keep = (run: string[]): void => {
  const k = Math.ceil(run.length / MAX_WORDS);
  let start = 0;
  for (let i = 1; i <= k; i++) {
    const end = Math.round((i * run.length) / k);
    const piece = run.slice(start, end).join(' ');
    if (end - start >= MIN_WORDS && !seen.has(piece)) {
      seen.add(piece);
      phrases.push(piece);
    }
    start = end;
  }
};
for (const text of chapters) {
  let run: string[] = [];
  for (const t of splitWords(text.toLowerCase())) {
    if (words.has(t)) {
      run.push(t);
    } else {
      keep(run);
      run = [];
    }
  }
  keep(run);
}
const rng = Rng.seeded(SEED);
for (let i = phrases.length - 1; i > 0; i--) {
  const j = rng.int(0, i + 1);
  [phrases[i], phrases[j]] = [phrases[j]!, phrases[i]!];
}
const rows = phrases.slice(0, N_PAIRS).map((src) => ({ src, trg: src.split(' ').reverse().join(' ') }));
const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
writeFileSync(out, text);

// Measurements for the card.
const lengths = new Map<number, number>();
const used = new Set<string>();
let unknown = 0;
let longest = 0;
for (const r of rows) {
  const n = r.src.split(' ').length;
  lengths.set(n, (lengths.get(n) ?? 0) + 1);
  for (const w of r.src.split(' ')) used.add(w);
  for (const s of [r.src, r.trg]) {
    const ids = tok.encode(s);
    if (ids.length !== n) throw new Error(`"${s}" encodes to ${ids.length} tokens, not ${n}`);
    unknown += ids.filter((id) => id === 0).length;
  }
  longest = Math.max(longest, 2 * n);
}
const srcs = new Set(rows.map((r) => r.src));
const srcWords = [...lengths].reduce((a, [n, k]) => a + n * k, 0);
const srcChars = rows.reduce((a, r) => a + r.src.length, 0);
const palindromes = rows.filter((r) => r.src === r.trg).length;
const crossed = rows.filter((r) => r.trg !== r.src && srcs.has(r.trg)).length;
console.log(`${rows.length} pairs → ${out} (${Buffer.byteLength(text)} bytes)`);
console.log(`candidate phrases: ${phrases.length}; vocabulary: ${vocab.length} tokens, ${words.size} phrase words`);
console.log(`distinct src: ${srcs.size}; words per src: ${[...lengths].sort((a, b) => a[0] - b[0]).join(' | ')}`);
console.log(`distinct words used: ${used.size}; <unk> tokens: ${unknown}; longest src + trg: ${longest} tokens`);
console.log(`src words: ${srcWords}; src chars: ${srcChars}; palindromes (trg = src): ${palindromes}`);
console.log(`rows whose trg is another row's src: ${crossed}`);
// Baselines on the rows `data.pairs.validation_every: 20` holds out: the reference itself and copying the source.
const held = rows.filter((_, i) => i % 20 === 19);
const copy = held.map((r) => r.src);
const gold = held.map((r) => r.trg);
const nltk = (hyps: string[]): string => diffuseqMeanBleu(hyps, gold).toFixed(4);
const sacre = (hyps: string[]): string =>
  (hyps.reduce((a, h, i) => a + sentenceBleu(h, gold[i]!).score, 0) / hyps.length).toFixed(2);
const corpus = (hyps: string[]): string => corpusBleu(hyps, gold).score.toFixed(2);
console.log(`held-out rows 20, 40, … (${held.length}), answer = trg | copy src:`);
console.log(`  DiffuSeq BLEU (mean NLTK method4): ${nltk(gold)} | ${nltk(copy)}`);
console.log(`  mean sacreBLEU sentence BLEU: ${sacre(gold)} | ${sacre(copy)}`);
console.log(`  sacreBLEU corpus BLEU: ${corpus(gold)} | ${corpus(copy)}`);
