// `prefix`: the block's first call runs all of x and keeps the keys/values of the positions before the block;
// later calls run the block and everything after it against that (stale) prefix
// (NVlabs/Fast-dLLM llada/generate.py generate_with_prefix_cache @24cc59e7; README §7.6).
import { columns, fullCachedCall, type CacheMode } from './cache-mode.ts';

export const prefixCache: CacheMode = {
  name: 'prefix',
  describe: 'cache the positions before the current block, refreshed once per block',
  cached: true,
  first(ctx) {
    const call = fullCachedCall(ctx);
    ctx.session!.keepPrefix(ctx.start);
    return call;
  },
  next(ctx) {
    const [, l] = ctx.x.shape as [number, number];
    const input = columns(ctx.x, ctx.start, l);
    return { logits: ctx.session!.afterPrefix(input), from: ctx.start, input, pastLength: ctx.start };
  },
};
