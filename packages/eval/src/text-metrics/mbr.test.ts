import { describe, expect, it } from 'vitest';
import { mbrSelect } from './mbr.ts';
import { diffuseqBleu } from './nltk-bleu.ts';

const ln = Math.log;

describe('mbrSelect (DiffuSeq selectBest)', () => {
  it('scores each candidate as the hypothesis against every other one, summed, and keeps the best', () => {
    // BLEU(a b c | a b d e f) = exp(−2/3)·((ln 3)²/600)^(1/4) ≈ 0.1087 (c = 3 < r = 5)
    // BLEU(a b d e f | a b c) = ((ln 5)²/12000)^(1/4) ≈ 0.1212         (c = 5 > r = 3, BP = 1)
    const r = mbrSelect(['a b c', 'a b d e f']);
    expect(r.scores[0]).toBeCloseTo(Math.exp(-2 / 3) * (ln(3) ** 2 / 600) ** 0.25, 15);
    expect(r.scores[1]).toBeCloseTo((ln(5) ** 2 / 12000) ** 0.25, 15);
    expect(r.index).toBe(1);
    // With the roles swapped (DiffuSeq's first release) candidate 0 would have won: the orientation matters.
    expect(diffuseqBleu('a b d e f', 'a b c')).toBeGreaterThan(diffuseqBleu('a b c', 'a b d e f'));
  });

  it('leaves out the self-comparison and sums (does not average) over the others', () => {
    const c = ['the white whale swims', 'the white whale swims', 'the whale swims', 'a white whale swims away'];
    const r = mbrSelect(c);
    c.forEach((ci, i) => {
      const others = c.map((cj, j) => (i === j ? 0 : diffuseqBleu(ci, cj)));
      expect(r.scores[i], `candidate ${i}`).toBe(others.reduce((a, b) => a + b, 0)); // n < 8: left to right
    });
    // candidate 0 scores 1 against its duplicate (the self-comparison would add another 1)
    expect(r.scores[0]).toBeCloseTo(1 + diffuseqBleu(c[0]!, c[2]!) + diffuseqBleu(c[0]!, c[3]!), 15);
    expect(r.scores[0]).toBeGreaterThan(1);
    expect(r.scores[0]).toBeLessThan(3);
    expect(r.index).toBe(0);
  });

  it('a tie goes to the first candidate (np.argmax)', () => {
    // BLEU(a b | b a) = BLEU(b a | a b) = (1 · ln2/10 · ln2/20 · ln2/40)^(1/4)
    const r = mbrSelect(['a b', 'b a']);
    expect(r.scores[0]).toBe(r.scores[1]);
    expect(r.scores[0]).toBeCloseTo((ln(2) ** 3 / 8000) ** 0.25, 15);
    expect(r.index).toBe(0);
    expect(mbrSelect(['x y z', 'p q r', 'u v w']).index).toBe(0); // all scores 0
    expect(mbrSelect(['x y z', 'p q r', 'u v w']).scores).toEqual([0, 0, 0]);
  });

  it('the majority wins over an outlier, wherever it stands', () => {
    const r = mbrSelect(['ship sails on the sea', 'whale on the sea', 'the whale on the sea', 'the whale on the sea']);
    expect(r.index).toBe(2);
    expect(r.scores[2]).toBe(r.scores[3]);
  });

  it('one candidate is selected with score 0; none is an error', () => {
    expect(mbrSelect(['only one'])).toEqual({ index: 0, scores: [0] });
    expect(() => mbrSelect([])).toThrow(/mbrSelect: candidates.*at least one candidate/);
  });
});
