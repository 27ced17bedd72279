// The Fast-dLLM cache modes by the names of `--cache`: a new mode is one file and one line here.
import { Registry } from '@dlm/core';
import type { CacheMode } from './cache-mode.ts';
import { dualCache } from './cache-dual.ts';
import { noCache } from './cache-none.ts';
import { prefixCache } from './cache-prefix.ts';

export const cacheModes = new Registry<CacheMode>('cache mode', [
  [noCache.name, noCache],
  [prefixCache.name, prefixCache],
  [dualCache.name, dualCache],
]);
