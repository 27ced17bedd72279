// A multiple-choice task as `dlm eval mc` scores it: questions grouped by subject, each with its choices and the
// index of the correct one, plus the few-shot pool (MMLU's dev rows) per subject. Readers (one file each) turn the
// formats into this; `where` names file:line for errors and the per-question records.
export interface McQuestion {
  subject: string;
  /** 0-based row within its subject's test (or chosen split) file: the key of the question. */
  index: number;
  /** The question text (MMLU) or the context a continuation follows (generic continuation tasks). */
  question: string;
  /** The answer options as stored (MMLU: A–D; generic: the continuations). */
  choices: readonly string[];
  /** Index of the correct choice. */
  label: number;
  /** `file:line` of the row. */
  where: string;
}

export interface McTask {
  /** 'mmlu': questions with lettered options (MMLU CSV, cais/mmlu); 'continuation': context + continuations. */
  kind: 'mmlu' | 'continuation';
  /** The scored questions, subject by subject (subjects sorted), in file order within a subject. */
  questions: McQuestion[];
  /** Few-shot rows per subject (MMLU dev), in file order. */
  dev: ReadonlyMap<string, readonly McQuestion[]>;
  /** The files read (for the fingerprint and the results). */
  files: string[];
}

/** Sorted subjects of a task's questions. */
export function subjectsOf(task: Pick<McTask, 'questions'>): string[] {
  return [...new Set(task.questions.map((q) => q.subject))].sort();
}
