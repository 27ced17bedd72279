// A document: one unit of text as a reader or corpus yields it (a chapter, a speech, a row).
export interface Document {
  /** Stable identifier: `<file>:<row>` for readers, e.g. `moby-dick:chapter-12` for corpora. */
  id: string;
  text: string;
}

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
