// The packing registry: wrap (MDLM wrap: True), pad (one document per row), chunk (text8).
import { Registry } from '@dlm/core';
import type { SpecialIds } from '../tokenizers/tokenizer.ts';
import { packChunk } from './chunk.ts';
import type { PackedBlocks } from './packed.ts';
import { packPad } from './pad.ts';
import type { TokenDocs } from './token-docs.ts';
import { packWrap } from './wrap.ts';

export type Packer = (docs: TokenDocs, length: number, specials: SpecialIds) => PackedBlocks;

export const packers = new Registry<Packer>('packing', [
  ['wrap', packWrap],
  ['pad', packPad],
  ['chunk', (docs, length) => packChunk(docs, length)],
]);

export function packBlocks(docs: TokenDocs, mode: string, length: number, specials: SpecialIds = {}): PackedBlocks {
  return packers.get(mode)(docs, length, specials);
}
