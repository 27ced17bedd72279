import { describe, expect, it } from 'vitest';
import { argmaxFirst, mcAccuracy } from './metrics.ts';

describe('MC metrics (harness acc, acc_norm, micro and macro with mean_stderr)', () => {
  it('argmax takes the first of tied maxima (np.argmax)', () => {
    expect(argmaxFirst([-2, -1, -1, -3])).toBe(1);
  });

  it('acc, acc_norm (loglik ÷ characters), per subject, micro pooled, macro mean', () => {
    const a = mcAccuracy([
      // acc picks 0 (−4 > −5); per char: −4/1 < −5/10 → acc_norm picks 1
      { subject: 's', loglik: [-4, -5], chars: [1, 10], label: 1 },
      { subject: 's', loglik: [-1, -5], chars: [1, 1], label: 0 },
      { subject: 't', loglik: [-9, -1], chars: [1, 1], label: 1 },
    ]);
    expect(a.per_subject).toEqual({ s: 0.5, t: 1 });
    expect(a.per_subject_counts).toEqual({ s: [1, 2], t: [1, 1] });
    expect(a.acc_norm.per_subject).toEqual({ s: 1, t: 1 });
    expect(a.overall_micro).toBeCloseTo(2 / 3, 12);
    expect(a.overall_macro).toBe(0.75);
    // mean_stderr of [0, 1]: sd 1/√2 over √2 = 0.5; of [0, 1, 1]: sd √(1/3) over √3 = 1/3.
    expect(a.per_subject_stderr['s']).toBeCloseTo(0.5, 12);
    expect(Number.isNaN(a.per_subject_stderr['t'])).toBe(true);
    expect(a.overall_micro_stderr).toBeCloseTo(1 / 3, 12);
  });
});
