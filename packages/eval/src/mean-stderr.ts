// Mean and standard error of per-item values, as lm-evaluation-harness reports accuracies
// (lm_eval/api/metrics.py mean_stderr: sample standard deviation with ddof 1, over √n).
//   mean = Σ x_i / n,   stderr = sqrt( Σ (x_i − mean)² / (n − 1) ) / √n   (NaN for n < 2)

export interface MeanStderr {
  mean: number;
  stderr: number;
  n: number;
}

export function meanStderr(values: ArrayLike<number>): MeanStderr {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, stderr: n > 1 ? Math.sqrt(ss / (n - 1)) / Math.sqrt(n) : NaN, n };
}
