// The dataset registry. Bundled (work offline, used in CI): moby-dick, sotu, brown,
// text8-moby. Local files you download yourself (cards in datasets/): text8, wikitext103,
// lm1b, openwebtext.
import { Registry } from '@dlm/core';
import { brown } from './brown.ts';
import type { DatasetEntry, DatasetOptions } from './dataset.ts';
import { lm1b, openwebtext, wikitext103 } from './local-export.ts';
import { mobyDick } from './moby-dick.ts';
import { sotu } from './sotu.ts';
import { text8 } from './text8.ts';
import { text8Moby } from './text8-moby.ts';

export type DatasetFactory = (options: DatasetOptions) => DatasetEntry;

export const datasets = new Registry<DatasetFactory>('dataset', [
  ['moby-dick', mobyDick],
  ['sotu', sotu],
  ['brown', brown],
  ['text8-moby', text8Moby],
  ['text8', text8],
  ['wikitext103', wikitext103],
  ['lm1b', lm1b],
  ['openwebtext', openwebtext],
]);

export function getDataset(name: string, options: DatasetOptions = {}): DatasetEntry {
  return datasets.get(name)(options);
}
