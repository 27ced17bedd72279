export type { LladaKvModel, LladaKvSession } from './kv-model.ts';
export type { CacheMode, BlockCall, BlockCallContext } from './cache-mode.ts';
export { cacheModes } from './cache-modes.ts';
export { cacheLoops, DEFAULT_CACHE_LOOP, type CacheLoop } from './cache-loops.ts';
export { scheduleCount, thresholdCount, factorCount, transferCount, type TransferCount } from './transfer-rules.ts';
export { proposal } from './confidence.ts';
export { fastDllmGenerate, type FastDllmOptions, type FastDllmResult, type FastDllmCallRecord } from './generate.ts';
export {
  LLADA_BENCH_THRESHOLD,
  LLADA_BENCH_VARIANTS,
  lladaBenchLabel,
  type LladaBenchVariant,
} from './bench-variants.ts';
