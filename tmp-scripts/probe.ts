import { initBackend, Rng } from '@dlm/core';
import { openModel } from '@dlm/runner';
await initBackend({ backend: 'wasm', log: () => {} });
const m = await openModel(process.argv[2]!, { log: () => {} });
const tok = m.tokenizer!;
const pairs: [string, string[]][] = [
  ['Call me', [' Ishmael', ' whale', ' xqzkvj']],
  ['the white', [' whale', ' house', ' qqqqq']],
  ['As we were walking', [' sea', ' her', ' down', ' time']],
];
for (const [ctx, chs] of pairs) {
  const reqs = chs.map((c) => {
    const whole = tok.encode(ctx + c), cx = tok.encode(ctx);
    return { context: Array.from(cx), continuation: Array.from(whole.slice(cx.length)) };
  });
  const out = m.model.continuationLogLikelihood!(reqs, { rng: Rng.seeded(1), mcNum: 256, batch: 32, cfgScale: 0, addBos: true });
  console.log(ctx, chs.map((c, i) => `${c}:${out[i]!.logLikelihood.toFixed(2)}±${out[i]!.stderr.toFixed(2)}`).join('  '));
}
