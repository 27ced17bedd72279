// The order of a cached block's later calls, which changed between two Fast-dLLM commits
// (NVlabs/Fast-dLLM llada/generate.py generate_with_prefix_cache / generate_with_dual_cache; README §7.6):
//   call-first  (@24cc59e7): loop { call; commit; if the block has no mask: break }  — at least one cached call,
//                            even when the block's first (full) call already completed it
//   check-first (@f6b35ec3): loop { if the block has no mask: break; call; commit }
// Both give the same ids; only the number of calls differs. Modes without cache always check first.
import { Registry } from '@dlm/core';

export interface CacheLoop {
  readonly name: string;
  readonly describe: string;
  /** At least one cached call per block, whatever the first call left. */
  readonly callFirst: boolean;
}

export const cacheLoops = new Registry<CacheLoop>('cache loop', [
  [
    'check-first',
    {
      name: 'check-first',
      describe: 'Fast-dLLM f6b35ec3: a block done by its first call costs 1 call',
      callFirst: false,
    },
  ],
  [
    'call-first',
    { name: 'call-first', describe: 'Fast-dLLM 24cc59e7: always at least one cached call per block', callFirst: true },
  ],
]);

export const DEFAULT_CACHE_LOOP = 'check-first';
