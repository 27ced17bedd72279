// How many of a row's candidates Fast-dLLM commits at one call, given their confidences sorted highest first
// (NVlabs/Fast-dLLM llada/generate.py get_transfer_index @24cc59e7, get_transfer_index_dynamic @f6b35ec3;
// fixtures/checkpoints/README.md §7.4). c_0 ≥ c_1 ≥ … ≥ c_{n−1}:
//   schedule:     k = schedule[i] (LLaDA's get_num_transfer_tokens, i = calls made in this block)
//   threshold τ:  1 + #{r ≥ 1 in the leading run with c_r ≥ τ}   (the first is always committed)
//   factor f:     r* = first r with c_r < t_r, t_0 = −1, t_r = 1 − f/(r+2);  k = r*, or n when no rank fails
//                 or r* = n − 1 (the reference's quirk: 2 candidates always both commit)
// Where the reference fails, dlm commits rather than loops or raises (so generation always terminates):
// n = 0 commits 0 (f6b35ec3 raises IndexError for factor), and a call past the end of the schedule (possible only
// when a call commits fewer than scheduled, e.g. prompt positions that hold the mask id) commits all n.
import { ConfigError, brief } from '@dlm/core';

/** @param sorted the row's candidate confidences, highest first; @param call calls made in the block so far */
export type TransferCount = (sorted: readonly number[], call: number, schedule: ArrayLike<number>) => number;

/** LLaDA's fixed schedule: schedule[call] of the block's per-row counts; past its end, every candidate. */
export const scheduleCount: TransferCount = (sorted, call, schedule) =>
  call < schedule.length ? Math.min(schedule[call]!, sorted.length) : sorted.length;

/** Confidence threshold τ: the best candidate always, then the leading ones with confidence ≥ τ. */
export function thresholdCount(threshold: number): TransferCount {
  return (sorted) => {
    if (sorted.length === 0) return 0;
    let k = 1;
    while (k < sorted.length && sorted[k]! >= threshold) k++;
    return k;
  };
}

/** Factor f (f6b35ec3): rank r passes while c_r ≥ 1 − f/(r+2) (rank 0 always passes). */
export function factorCount(factor: number): TransferCount {
  return (sorted) => {
    const n = sorted.length;
    if (n === 0) return 0;
    let fail = -1;
    for (let r = 1; r < n; r++) {
      if (sorted[r]! < 1 - factor / (r + 2)) {
        fail = r;
        break;
      }
    }
    return fail < 0 || fail === n - 1 ? n : fail;
  };
}

/** The rule of the options: factor, else threshold, else the schedule (both given is an error, named). */
export function transferCount(op: string, o: { threshold?: number | undefined; factor?: number | undefined }) {
  const { threshold, factor } = o;
  if (threshold !== undefined && factor !== undefined) {
    throw new ConfigError(
      { op, arg: 'threshold, factor', expected: 'at most one of them', got: `${threshold}, ${factor}` },
      '(Fast-dLLM f6b35ec3 silently ignores the threshold when a factor is given)',
    );
  }
  if (factor !== undefined) {
    if (!(Number.isFinite(factor) && factor > 0)) {
      throw new ConfigError({ op, arg: 'factor', expected: 'a finite number > 0', got: brief(factor) });
    }
    return factorCount(factor);
  }
  if (threshold !== undefined) {
    if (!(Number.isFinite(threshold) && threshold > 0 && threshold <= 1)) {
      throw new ConfigError({ op, arg: 'threshold', expected: 'a number in (0, 1]', got: brief(threshold) });
    }
    return thresholdCount(threshold);
  }
  return scheduleCount;
}
