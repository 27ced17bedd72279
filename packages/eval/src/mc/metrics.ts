// Accuracies of `dlm eval mc`, as lm-evaluation-harness 0.4.13 reports them (lm_eval/api/task.py
// ConfigurableTask.process_results for output_type multiple_choice, lm_eval/api/metrics.py):
//   acc      = [argmax_i loglik_i = gold]                       (first index wins ties, as np.argmax)
//   acc_norm = [argmax_i loglik_i / len(continuation_i in characters) = gold]
//   per subject: mean ± mean_stderr (sample sd, ddof 1, over √n; meanStderr)
//   overall_micro: every question pooled (the harness's size-weighted group mean), stderr over the pooled items
//   overall_macro: mean of the subject accuracies, stderr = √(Σ_s se_s²) / S (independent subject means)
import { meanStderr } from '../mean-stderr.ts';

export interface McScored {
  subject: string;
  /** Per-choice log-likelihoods. */
  loglik: readonly number[];
  /** Per-choice continuation lengths in characters. */
  chars: readonly number[];
  label: number;
}

/** np.argmax: the first index of the maximum. */
export function argmaxFirst(x: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

export function mcPicks(s: Pick<McScored, 'loglik' | 'chars'>): { pick: number; pickNorm: number } {
  return { pick: argmaxFirst(s.loglik), pickNorm: argmaxFirst(s.loglik.map((l, i) => l / s.chars[i]!)) };
}

export interface McMetric {
  per_subject: Record<string, number>;
  per_subject_stderr: Record<string, number>;
  overall_micro: number;
  overall_micro_stderr: number;
  overall_macro: number;
  overall_macro_stderr: number;
}

export interface McAccuracy extends McMetric {
  per_subject_counts: Record<string, [number, number]>;
  acc_norm: McMetric;
}

function metricOf(items: readonly { subject: string; correct: number }[], subjects: readonly string[]): McMetric {
  const per: Record<string, number> = {};
  const se: Record<string, number> = {};
  for (const s of subjects) {
    const m = meanStderr(items.filter((q) => q.subject === s).map((q) => q.correct));
    per[s] = m.mean;
    se[s] = m.stderr;
  }
  const micro = meanStderr(items.map((q) => q.correct));
  const S = subjects.length;
  return {
    per_subject: per,
    per_subject_stderr: se,
    overall_micro: micro.mean,
    overall_micro_stderr: micro.stderr,
    overall_macro: subjects.reduce((a, s) => a + per[s]!, 0) / S,
    overall_macro_stderr: Math.sqrt(subjects.reduce((a, s) => a + se[s]! ** 2, 0)) / S,
  };
}

export function mcAccuracy(scored: readonly McScored[]): McAccuracy {
  const subjects = [...new Set(scored.map((q) => q.subject))].sort();
  const picks = scored.map((q) => ({ q, ...mcPicks(q) }));
  const acc = metricOf(
    picks.map(({ q, pick }) => ({ subject: q.subject, correct: pick === q.label ? 1 : 0 })),
    subjects,
  );
  const accNorm = metricOf(
    picks.map(({ q, pickNorm }) => ({ subject: q.subject, correct: pickNorm === q.label ? 1 : 0 })),
    subjects,
  );
  const counts: Record<string, [number, number]> = {};
  for (const s of subjects) {
    const mine = picks.filter((p) => p.q.subject === s);
    counts[s] = [mine.filter((p) => p.pick === p.q.label).length, mine.length];
  }
  return { ...acc, per_subject_counts: counts, acc_norm: accNorm };
}
