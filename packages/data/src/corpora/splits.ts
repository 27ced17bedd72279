// Deterministic split rules.
//
// Document corpora (moby-dick, sotu, brown): documents in corpus order, 0-based index i:
//   i % 20 == 18 → validation, i % 20 == 19 → test, otherwise train (90 / 5 / 5 by documents).
// Character streams (text8, text8-moby), as D3PM / MDLM split text8 (kuleshov-group/mdlm:
// dataloader.py:get_text8_dataset, 90M / 5M / 5M of 100M): with n characters,
//   train = [0, ⌊0.9n⌋), validation = [⌊0.9n⌋, ⌊0.95n⌋), test = [⌊0.95n⌋, n).
import type { SplitName } from '../document.ts';

export const DOCUMENT_SPLIT_RULE =
  'documents in corpus order, 0-based index i: i % 20 == 18 → validation, i % 20 == 19 → test, else train (90/5/5 by documents)';
export const CHARACTER_SPLIT_RULE =
  'one character stream of n characters: train [0, ⌊0.9n⌋), validation [⌊0.9n⌋, ⌊0.95n⌋), test [⌊0.95n⌋, n) (text8: 90M/5M/5M)';

export function documentSplit(i: number): SplitName {
  const r = i % 20;
  return r === 18 ? 'validation' : r === 19 ? 'test' : 'train';
}

export function characterSplitRange(n: number, split: SplitName): [number, number] {
  const a = Math.floor(0.9 * n);
  const b = Math.floor(0.95 * n);
  return split === 'train' ? [0, a] : split === 'validation' ? [a, b] : [b, n];
}
