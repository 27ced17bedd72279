// `dual`: the block's first call runs all of x and caches every position; later calls run only the block,
// overwrite its cache entries and attend to the (stale) prefix and suffix
// (NVlabs/Fast-dLLM llada/generate.py generate_with_dual_cache @24cc59e7; README §7.7).
import { columns, fullCachedCall, type CacheMode } from './cache-mode.ts';

export const dualCache: CacheMode = {
  name: 'dual',
  describe: 'cache the positions before and after the current block, refreshed once per block',
  cached: true,
  first: fullCachedCall,
  next(ctx) {
    const session = ctx.session!;
    const input = columns(ctx.x, ctx.start, ctx.end);
    const pastLength = session.cachedLength;
    return {
      logits: session.replace(input, ctx.start),
      from: ctx.start,
      input,
      pastLength,
      replaceRange: [ctx.start, ctx.end],
    };
  },
};
