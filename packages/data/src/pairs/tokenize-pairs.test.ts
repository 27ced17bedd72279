import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { charTokenizer } from '../tokenizers/char.ts';
import { applyChatTemplate, checkChatTemplate, tokenizePair } from './tokenize-pairs.ts';

describe('tokenizePair', () => {
  const tok = charTokenizer();
  it('tokenizes both sides, no specials', () => {
    const t = tokenizePair(tok, { id: 'f:1', row: 1, source: 'ab', target: 'c' });
    expect([Array.from(t.prompt), Array.from(t.response), t.id]).toEqual([[0, 1], [2], 'f:1']);
  });
  it('applies the chat template to the prompt only, at every {prompt}', () => {
    expect(applyChatTemplate('user {prompt} assistant', 'hi')).toBe('user hi assistant');
    expect(applyChatTemplate('{prompt}/{prompt}', 'x')).toBe('x/x');
    expect(applyChatTemplate(undefined, 'x')).toBe('x');
    const t = tokenizePair(tok, { id: 'f:1', row: 1, source: 'b', target: 'b' }, 'a{prompt}c');
    expect([Array.from(t.prompt), Array.from(t.response)]).toEqual([[0, 1, 2], [1]]);
  });
  it('a template without {prompt} is a ConfigError', () => {
    expect(() => checkChatTemplate('no placeholder')).toThrow(ConfigError);
    expect(() => applyChatTemplate('{question}', 'x')).toThrow(/chat_template.*\{prompt\} placeholder/);
  });
});
