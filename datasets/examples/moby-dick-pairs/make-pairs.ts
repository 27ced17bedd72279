// Writes pairs.jsonl beside this file: short sentences of Moby-Dick's train chapters (the `moby-dick`
// dataset's train split) cut into {"prompt": the first two words, "response": the rest}, for the LLaDA
// SFT example (experiments/llada/sft-moby-pairs.yaml). Deterministic: book order, every sentence of
// 16–30 characters (so BOS + sentence + EOS fits a 32-character row), at most MAX_PAIRS.
//   node --import @dlm/core/loader/register.mjs datasets/examples/moby-dick-pairs/make-pairs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getDataset } from '@dlm/data';

const MAX_PAIRS = 600;
const out = fileURLToPath(new URL('./pairs.jsonl', import.meta.url));
const lines: string[] = [];
for await (const doc of getDataset('moby-dick').documents('train')) {
  const sentences = doc.text.replace(/\s+/g, ' ').match(/[^.!?]+[.!?]+/g) ?? [];
  for (const raw of sentences) {
    const s = raw.trim();
    if (s.length < 16 || s.length > 30 || s.includes('"')) continue;
    const m = /^(\S+ \S+)( .+)$/.exec(s);
    if (!m) continue;
    lines.push(JSON.stringify({ prompt: m[1], response: m[2] }));
    if (lines.length === MAX_PAIRS) break;
  }
  if (lines.length === MAX_PAIRS) break;
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} pairs → ${out}`);
