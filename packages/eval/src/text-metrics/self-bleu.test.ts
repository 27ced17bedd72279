import { describe, expect, it } from 'vitest';
import { sentenceBleu } from './bleu.ts';
import { selfBleu } from './self-bleu.ts';

describe('self-BLEU', () => {
  it('equals the mean of sentence BLEU of each output against all the others (explicit reference lists)', () => {
    const outs = [
      'the cat sat on the mat .',
      'the cat sat on the mat .',
      'a dog sat on a log',
      'the the the cat',
      '',
      'on the mat the cat sat quietly today',
      'Completely different words here!',
      'a dog ran on the mat',
    ];
    const r = selfBleu(outs);
    const explicit = outs.map(
      (o, i) =>
        sentenceBleu(
          o,
          outs.filter((_, j) => j !== i),
        ).score,
    );
    r.perOutput.forEach((s, i) => expect(s, `output ${i}`).toBe(explicit[i]));
    expect(r.score).toBe(explicit.reduce((a, b) => a + b, 0) / outs.length);
    expect(r.perOutput[0]).toBeCloseTo(100, 12); // its duplicate is among the others
    expect(r.perOutput[4]).toBe(0); // the empty output
  });

  it('identical outputs give 100, disjoint ones 0; an output whose others are all empty scores 0', () => {
    expect(selfBleu(['a b c d', 'a b c d', 'a b c d']).score).toBeCloseTo(100, 12);
    expect(selfBleu(['a b', 'c d']).score).toBe(0);
    expect(selfBleu(['a b c', '', '']).perOutput).toEqual([0, 0, 0]);
  });

  it('needs two outputs', () => {
    expect(() => selfBleu(['only one'])).toThrow(/selfBleu: outputs.*at least 2 outputs.*got 1/);
  });
});
