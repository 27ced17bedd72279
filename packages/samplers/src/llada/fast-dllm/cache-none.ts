// `none`: every call is a plain forward on all of x (NVlabs/Fast-dLLM llada/generate.py generate @24cc59e7).
import type { BlockCall, BlockCallContext, CacheMode } from './cache-mode.ts';

function plain(ctx: BlockCallContext): BlockCall {
  const input = { data: Int32Array.from(ctx.x.data), shape: [...ctx.x.shape] };
  return { logits: ctx.model.predict(input), from: 0, input, pastLength: 0 };
}

export const noCache: CacheMode = {
  name: 'none',
  describe: 'no KV cache: every call runs the whole sequence',
  cached: false,
  first: plain,
  next: plain,
};
