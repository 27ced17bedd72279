// Element-wise closeness for tests and parity checks: |got − want| ≤ atol + rtol·|want|
// (numpy allclose); NaN matches NaN and an infinity matches only itself.
// Framework-free; returns the worst element so a failing test can say where it failed.

export interface CloseReport {
  /** max over elements of |got − want| / (atol + rtol·|want|); ≤ 1 means all close. */
  ratio: number;
  /** Flat index of the worst element (−1 when empty). */
  index: number;
  got: number;
  want: number;
}

export function closeReport(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): CloseReport {
  if (got.length !== want.length) return { ratio: Infinity, index: -1, got: got.length, want: want.length };
  let worst: CloseReport = { ratio: 0, index: -1, got: NaN, want: NaN };
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const d = Math.abs(g - w);
    const r =
      g === w || (Number.isNaN(g) && Number.isNaN(w))
        ? 0
        : Number.isNaN(d) || !Number.isFinite(d)
          ? Infinity
          : d / (atol + rtol * Math.abs(w));
    if (r > worst.ratio || worst.index < 0) worst = { ratio: r, index: i, got: g, want: w };
  }
  return worst;
}

/** Throws (with the worst element) unless every element is close. */
export function assertAllClose(
  label: string,
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  rtol: number,
  atol: number,
): void {
  const r = closeReport(got, want, rtol, atol);
  if (!(r.ratio <= 1)) {
    throw new Error(
      `${label}: not close (rtol ${rtol}, atol ${atol}): worst at flat index ${r.index}: got ${r.got}, want ${r.want} (ratio ${r.ratio.toPrecision(3)}), length ${got.length} vs ${want.length}`,
    );
  }
}
