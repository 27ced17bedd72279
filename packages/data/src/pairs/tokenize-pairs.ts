// Tokenizes both sides of a pair. An optional chat template (a string with one or more `{prompt}`
// placeholders, e.g. '<|user|>{prompt}<|assistant|>') is applied to the prompt text first, as LLaDA's
// SFT data wraps each prompt in the chat format before tokenizing (ML-GSAI/LLaDA GUIDELINES.md).
// No specials here: packPairs adds BOS / EOS.
import { ConfigError, brief } from '@dlm/core';
import type { Tokenizer } from '../tokenizers/tokenizer.ts';
import type { Pair } from './read-pairs.ts';

export const PROMPT_PLACEHOLDER = '{prompt}';

export interface TokenizedPair {
  id: string;
  /** Prompt ids after the chat template, without BOS. */
  prompt: Int32Array;
  /** Response ids, without EOS. */
  response: Int32Array;
}

/** Throws ConfigError unless `template` is a string holding `{prompt}`. */
export function checkChatTemplate(template: unknown): string {
  if (typeof template !== 'string' || !template.includes(PROMPT_PLACEHOLDER)) {
    throw new ConfigError({
      op: 'chat template',
      arg: 'chat_template',
      expected: `a string with a ${PROMPT_PLACEHOLDER} placeholder`,
      got: brief(template),
    });
  }
  return template;
}

/** The prompt text inside the template (every `{prompt}` replaced; no other placeholder is special). */
export function applyChatTemplate(template: string | undefined, prompt: string): string {
  if (template === undefined) return prompt;
  return checkChatTemplate(template).split(PROMPT_PLACEHOLDER).join(prompt);
}

export function tokenizePair(tok: Tokenizer, pair: Pair, chatTemplate?: string): TokenizedPair {
  const prompt = tok.encode(applyChatTemplate(chatTemplate, pair.source));
  return { id: pair.id, prompt, response: tok.encode(pair.target) };
}
