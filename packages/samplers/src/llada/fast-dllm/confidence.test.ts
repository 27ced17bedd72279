import { describe, expect, it } from 'vitest';
import { proposal } from './confidence.ts';

describe('Fast-dLLM proposal', () => {
  const softmax = (l: number[]) => {
    const m = Math.max(...l);
    const e = l.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };

  it('argmax and its float64 softmax probability', () => {
    const logits = Float32Array.from([0.5, 2, -1, 1.5, /* position 1 */ 3, 0, 0, 0]);
    const p = proposal(logits, logits, 0, 4, 2);
    expect(p.id).toBe(1);
    expect(p.conf).toBeCloseTo(softmax([0.5, 2, -1, 1.5])[1]!, 12);
    expect(proposal(logits, logits, 1, 4, 2)).toEqual({ id: 0, conf: softmax([3, 0, 0, 0])[0]! });
  });

  it('never proposes the mask id: the best other id, with its probability under the full softmax', () => {
    const logits = Float32Array.from([0.5, 2, 9, 1.5]); // the mask id 2 is the argmax
    const p = proposal(logits, logits, 0, 4, 2);
    expect(p.id).toBe(1);
    expect(p.conf).toBeCloseTo(softmax([0.5, 2, 9, 1.5])[1]!, 12);
    expect(p.conf).toBeLessThan(0.01);
  });

  it('takes the id from the noisy logits and the confidence from the clean ones', () => {
    const logits = Float32Array.from([1, 2, 0]);
    const noisy = Float64Array.from([5, 1, 0]);
    const p = proposal(logits, noisy, 0, 3, 2);
    expect(p.id).toBe(0);
    expect(p.conf).toBeCloseTo(softmax([1, 2, 0])[0]!, 12);
  });
});
