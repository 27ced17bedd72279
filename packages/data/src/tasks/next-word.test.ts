import { describe, expect, it } from 'vitest';
import { mobyDickDocuments } from '../corpora/moby-dick.ts';
import { documentSplit } from '../corpora/splits.ts';
import { collapseWhitespace } from './cloze-sites.ts';
import { buildNextWord } from './next-word.ts';

describe('buildNextWord (moby-dick)', async () => {
  const a = await buildNextWord({ dataset: 'moby-dick', split: 'validation', num: 300, contextChars: 16 });
  const validation = mobyDickDocuments()
    .filter((_, i) => documentSplit(i) === 'validation')
    .map((d) => collapseWhitespace(d.text));

  it('rows {prompt, answer}: the answer is the word after the prompt in a held-out chapter', () => {
    expect(a.rows).toHaveLength(300);
    for (const r of a.rows) {
      expect(Object.keys(r)).toEqual(['prompt', 'answer']);
      expect(r.answer).toMatch(/^[a-z]{1,9}$/);
      expect(r.prompt.length).toBeLessThanOrEqual(16);
      expect(r.prompt.length).toBeGreaterThanOrEqual(8);
      expect(validation.some((t) => t.includes(`${r.prompt} ${r.answer}`))).toBe(true);
    }
  });

  it('is deterministic in the seed', async () => {
    const b = await buildNextWord({ dataset: 'moby-dick', split: 'validation', num: 300, contextChars: 16 });
    expect(b.rows).toEqual(a.rows);
    const c = await buildNextWord({ dataset: 'moby-dick', split: 'validation', num: 300, contextChars: 16, seed: 7 });
    expect(c.rows).not.toEqual(a.rows);
  });

  it('bad options are named errors', async () => {
    await expect(buildNextWord({ dataset: 'moby-dick', contextChars: 2 })).rejects.toThrow(/--context-chars/);
    await expect(buildNextWord({ dataset: 'moby-dick', seed: 0.5 })).rejects.toThrow(/--seed/);
  });
});
