import { describe, expect, it } from 'vitest';
import { mobyDickDocuments } from '../corpora/moby-dick.ts';
import { documentSplit } from '../corpora/splits.ts';
import { collapseWhitespace } from './cloze-sites.ts';
import { MC_CLOZE_FREQUENCY, buildMcCloze } from './mc-cloze.ts';

const texts = (split: string) =>
  mobyDickDocuments()
    .filter((_, i) => documentSplit(i) === split)
    .map((d) => collapseWhitespace(d.text));

describe('buildMcCloze (moby-dick)', async () => {
  const a = await buildMcCloze({ dataset: 'moby-dick' });
  const test = texts('test');

  it('is deterministic in the seed', async () => {
    const b = await buildMcCloze({ dataset: 'moby-dick', seed: 0 });
    expect(JSON.stringify(b.rows)).toBe(JSON.stringify(a.rows));
    const c = await buildMcCloze({ dataset: 'moby-dick', seed: 1 });
    expect(JSON.stringify(c.rows)).not.toBe(JSON.stringify(a.rows));
  });

  it('600 questions of 4 distinct " word" choices, the answer at `label`, from the test chapters', () => {
    expect(a.rows).toHaveLength(600);
    a.rows.forEach((q, k) => {
      expect(Object.keys(q)).toEqual(['context', 'choices', 'label']);
      expect(q.choices).toHaveLength(4);
      expect(new Set(q.choices).size).toBe(4);
      for (const c of q.choices) expect(c).toMatch(/^ [a-z]{1,9}$/);
      expect(q.choices[q.label]).toBe(` ${a.answers[k]}`);
      // context + answer is text of a held-out chapter (never of the train split's own positions).
      expect(test.some((t) => t.includes(`${q.context}${q.choices[q.label]}`))).toBe(true);
      // The limit of the card: context ≤ 20 characters, context + longest choice ≤ 30 (BOS/EOS fit in 32).
      expect(q.context.length).toBeLessThanOrEqual(20);
      expect(q.context.length + Math.max(...q.choices.map((c) => c.length))).toBeLessThanOrEqual(30);
    });
  });

  it('distractors are frequency-matched: within the rank window of the answer, never the answer', () => {
    const ratios: number[] = [];
    a.rows.forEach((q, k) => {
      const r = a.list.rankOf(a.answers[k]!)!;
      expect(r).toBeDefined();
      q.choices.forEach((c, i) => {
        if (i === q.label) return;
        const w = c.slice(1);
        expect(w).not.toBe(a.answers[k]);
        expect(Math.abs(a.list.rankOf(w)! - r)).toBeLessThanOrEqual(2 * MC_CLOZE_FREQUENCY.window);
        ratios.push(a.list.counts.get(w)! / a.list.counts.get(a.answers[k]!)!);
      });
    });
    ratios.sort((x, y) => x - y);
    const median = ratios[ratios.length >> 1]!;
    expect(median).toBeGreaterThan(0.8);
    expect(median).toBeLessThan(1.25);
  });

  it('labels are spread over the four positions', () => {
    const counts = [0, 1, 2, 3].map((k) => a.rows.filter((q) => q.label === k).length);
    // Binomial(600, 1/4): mean 150, sd 10.6; each within ±4 sd.
    for (const n of counts) expect(Math.abs(n - 150)).toBeLessThan(43);
  });

  it('a smaller --num gives a subset of the same questions (draws depend on the site only)', async () => {
    const small = await buildMcCloze({ dataset: 'moby-dick', num: 50 });
    const all = new Set(a.rows.map((q) => JSON.stringify(q)));
    for (const q of small.rows) expect(all.has(JSON.stringify(q))).toBe(true);
  });

  it('bad options are named errors', async () => {
    await expect(buildMcCloze({ dataset: 'moby-dick', split: 'train' as never })).rejects.toThrow(
      /--split.*held-out split/s,
    );
    await expect(buildMcCloze({ dataset: 'moby-dick', num: 0 })).rejects.toThrow(/--num.*an integer ≥ 1/s);
    await expect(buildMcCloze({ dataset: 'moby-dick', num: 1e6 })).rejects.toThrow(/--num.*eligible sites/s);
    await expect(buildMcCloze({ dataset: 'moby-dik' })).rejects.toThrow(/moby-dick/);
  });
});
