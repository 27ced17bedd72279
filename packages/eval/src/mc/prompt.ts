// From a question to the token requests `dlm eval mc` scores (lm-evaluation-harness 0.4.13):
//   context = header(subject) + Σ_{first k dev rows d, file order} example(d) + question(q)
//   per choice c:  whole = enc(context + c),  ctx = enc(context),  cont = whole[len(ctx):]
//                  (huggingface.py:_encode_pair; a continuation's leading space stays with it)
//   left truncation (huggingface.py:_loglikelihood_tokens): the model reads at most maxLength positions; when
//   ctx + cont is longer than `budget` (= maxLength, + 1 for models that read (ctx + cont)[:-1], − 1 with a BOS
//   prepended), the first tokens of ctx are dropped so that ctx + cont keeps its last `budget` tokens.
import { ConfigError } from '@dlm/core';
import type { McTemplate } from './templates.ts';
import type { McQuestion, McTask } from './task.ts';

export interface McPrompt {
  /** The context text (before truncation). */
  text: string;
  /** Continuation strings, one per choice. */
  continuations: string[];
  /** Per choice: the context ids it is scored after (left-truncated) and its continuation ids. */
  requests: { context: number[]; continuation: number[] }[];
  /** len(enc(context)) before truncation. */
  promptTokenCount: number;
  /** Some request lost context tokens to the length budget. */
  truncated: boolean;
}

/** The context text of `q` with the first `shots` dev rows of its subject. */
export function mcContext(task: McTask, q: McQuestion, template: McTemplate, shots: number): string {
  const pool = task.dev.get(q.subject) ?? [];
  if (shots > pool.length) {
    const expected = `at most ${pool.length} shots (the few-shot rows of subject ${q.subject})`;
    throw new ConfigError({ op: 'dlm eval mc', arg: '--shots', expected, got: String(shots) });
  }
  return template.header(q.subject) + pool.slice(0, shots).map(template.example).join('') + template.question(q);
}

export function buildMcPrompt(
  text: string,
  continuations: string[],
  encode: (s: string) => number[],
  budget: number,
): McPrompt {
  const ctx = encode(text);
  let truncated = false;
  const requests = continuations.map((c) => {
    const whole = encode(text + c);
    const cont = whole.slice(ctx.length);
    // The harness slices whole[len(ctx):] even when a BPE merge crosses the boundary; so does this.
    if (cont.length === 0) {
      const expected = 'a continuation of at least one token after the context';
      throw new ConfigError({ op: 'dlm eval mc', arg: `continuation ${JSON.stringify(c)}`, expected, got: '0 tokens' });
    }
    const over = ctx.length + cont.length - budget;
    if (over > 0) truncated = true;
    if (cont.length > budget) {
      const expected = `a continuation within the model's length budget ${budget}`;
      throw new ConfigError({
        op: 'dlm eval mc',
        arg: `continuation ${JSON.stringify(c)}`,
        expected,
        got: `${cont.length} tokens`,
      });
    }
    return { context: over > 0 ? ctx.slice(over) : ctx, continuation: cont };
  });
  return { text, continuations, requests, promptTokenCount: ctx.length, truncated };
}
