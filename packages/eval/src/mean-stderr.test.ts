import { describe, expect, it } from 'vitest';
import { meanStderr } from './mean-stderr.ts';

describe('meanStderr (ddof 1 over √n, as the harness)', () => {
  it('accuracy of 3 correct in 4: mean 0.75, sd sqrt(0.75/3) = 0.5, stderr 0.5/√4', () => {
    const r = meanStderr([1, 0, 1, 1]);
    expect(r.mean).toBe(0.75);
    expect(r.stderr).toBeCloseTo(0.25, 15);
    expect(r.n).toBe(4);
  });
  it('one value: no standard error; none: NaN mean', () => {
    expect(meanStderr([1]).stderr).toBeNaN();
    expect(meanStderr([]).mean).toBeNaN();
  });
});
