import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { leftPad, parsePromptIds, readPrompts } from './generate-prompts.ts';

const dir = mkdtempSync(join(tmpdir(), 'dlm-prompts-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('generate prompts', () => {
  it('parses --prompt-ids and refuses anything but integers ≥ 0', () => {
    expect(parsePromptIds('47, 51,7')).toEqual([47, 51, 7]);
    for (const bad of ['', '1,,2', '1.5', '-1', 'a'])
      expect(() => parsePromptIds(bad)).toThrow(/--prompt-ids.*comma-separated integer/);
  });

  it('exactly one source: --prompt, --prompt-ids or a JSONL file of text / id rows', () => {
    expect(readPrompts({ prompt: 'hi' })).toEqual([{ text: 'hi' }]);
    expect(readPrompts({ promptIds: '3,4' })).toEqual([{ ids: [3, 4] }]);
    const f = file('ok.jsonl', '{"prompt": "a b"}\n\n{"prompt_ids": [1, 2, 3]}\n');
    expect(readPrompts({ promptsFile: f })).toEqual([{ text: 'a b' }, { ids: [1, 2, 3] }]);
    expect(() => readPrompts({})).toThrow(/exactly one of --prompt, --prompt-ids, --prompts/);
    expect(() => readPrompts({ prompt: 'a', promptIds: '1' })).toThrow(/got 2 given/);
  });

  it('bad JSONL rows name the file and line', () => {
    expect(() => readPrompts({ promptsFile: join(dir, 'none.jsonl') })).toThrow(ConfigError);
    const bad = file('bad.jsonl', '{"prompt": "a"}\n{"prompt_ids": [1, -2]}\n');
    expect(() => readPrompts({ promptsFile: bad })).toThrow(/bad\.jsonl:2.*prompt_ids/);
    const extra = file('extra.jsonl', '{"prompt": "a", "x": 1}\n');
    expect(() => readPrompts({ promptsFile: extra })).toThrow(/extra\.jsonl:1/);
    const noJson = file('nojson.jsonl', '{oops\n');
    expect(() => readPrompts({ promptsFile: noJson })).toThrow(/nojson\.jsonl:1.*one JSON object/);
    expect(() => readPrompts({ promptsFile: file('empty.jsonl', '\n') })).toThrow(/is empty/);
  });

  it('left-pads different lengths with the pad id and a 0/1 mask; equal lengths get no mask', () => {
    const r = leftPad(
      [
        [29, 51, 57, 16],
        [48, 7],
      ],
      61,
    );
    expect(r.prompt.shape).toEqual([2, 4]);
    expect([...r.prompt.data]).toEqual([29, 51, 57, 16, 61, 61, 48, 7]);
    expect([...r.attention!.data]).toEqual([1, 1, 1, 1, 0, 0, 1, 1]);
    expect(
      leftPad(
        [
          [1, 2],
          [3, 4],
        ],
        0,
      ).attention,
    ).toBeUndefined();
  });
});
