// Prompt templates of `dlm eval mc --template`: how a question becomes the context and its continuations, and how
// a few-shot example is written. One registry entry each; an entry says which task kinds it applies to.
//   mmlu (lm-evaluation-harness 0.4.13, lm_eval/tasks/mmlu/default: _default_template_yaml + _generate_configs.py):
//     header   = "The following are multiple choice questions (with answers) about " + s.replace("_", " ") + ".\n\n"
//     Q(r)     = r.question.strip() + "\nA. " + A + "\nB. " + B + "\nC. " + C + "\nD. " + D + "\nAnswer:"
//     example  = Q(d) + " " + letter(d) + "\n\n"
//     conts    = " A", " B", " C", " D"
//   continuation: context as given, continuations = the choices as given (continuation-jsonl.ts), examples
//     = context + gold choice + "\n\n" (no header).
import { Registry } from '@dlm/core';
import type { McQuestion, McTask } from './task.ts';

export interface McTemplate {
  /** Task kinds it can render. */
  kinds: readonly McTask['kind'][];
  describe: string;
  header(subject: string): string;
  /** The question part of the context (ends where the continuation starts). */
  question(q: McQuestion): string;
  /** The continuation strings, one per choice. */
  continuations(q: McQuestion): string[];
  /** A solved few-shot example. */
  example(q: McQuestion): string;
}

const LETTERS = ['A', 'B', 'C', 'D'];

/** Python's str.strip(): leading and trailing whitespace (Unicode White_Space, as JS trim). */
const strip = (s: string) => s.trim();

const mmluQuestion = (q: McQuestion) =>
  strip(q.question) + q.choices.map((c, i) => `\n${LETTERS[i]}. ${c}`).join('') + '\nAnswer:';

export const mcTemplates = new Registry<McTemplate>('mc template', [
  [
    'mmlu',
    {
      kinds: ['mmlu'],
      describe: "lm-evaluation-harness MMLU: header, 'Q\\nA. …\\nD. …\\nAnswer:', continuations ' A' … ' D'",
      header: (s) => `The following are multiple choice questions (with answers) about ${s.replace(/_/g, ' ')}.\n\n`,
      question: mmluQuestion,
      continuations: (q) => q.choices.map((_, i) => ` ${LETTERS[i]}`),
      example: (q) => `${mmluQuestion(q)} ${LETTERS[q.label]}\n\n`,
    },
  ],
  [
    'continuation',
    {
      kinds: ['continuation'],
      describe: 'context as given, the choices as given as continuations (HellaSwag / ARC style)',
      header: () => '',
      question: (q) => q.question,
      continuations: (q) => [...q.choices],
      example: (q) => `${q.question}${q.choices[q.label]}\n\n`,
    },
  ],
]);

/** The template a task uses when `--template` is absent. */
export function defaultTemplate(kind: McTask['kind']): string {
  return kind === 'mmlu' ? 'mmlu' : 'continuation';
}
