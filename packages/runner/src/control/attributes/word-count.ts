// `word-count`: how many whitespace-separated words the decoded text has, bucketed by increasing `boundaries`
// b_1 < … < b_m: label i = the number of boundaries ≤ the count. Labels are named by their ranges, e.g.
// boundaries [5, 7] → "0-4", "5-6", "7+".
import { z } from 'zod';
import type { AttributeDef } from './attribute.ts';

const schema = z.strictObject({
  boundaries: z
    .array(z.number().int().min(1))
    .min(1)
    .refine((b) => b.every((v, i) => i === 0 || v > b[i - 1]!), { message: 'boundaries must increase strictly' }),
});

type Knobs = z.output<typeof schema>;

export function wordCount(text: string): number {
  return text.split(/\s+/u).filter((w) => w.length > 0).length;
}

export const wordCountAttribute: AttributeDef<Knobs> = {
  schema,
  describe: 'word-count buckets: {boundaries: [b1, b2, …]} → "0-(b1−1)", …, "bm+"',
  labels: ({ boundaries: b }) => [
    `0-${b[0]! - 1}`,
    ...b.slice(1).map((v, i) => (v - 1 === b[i] ? `${b[i]}` : `${b[i]}-${v - 1}`)),
    `${b[b.length - 1]}+`,
  ],
  label: (text, { boundaries }) => {
    const n = wordCount(text);
    return boundaries.filter((v) => v <= n).length;
  },
};
