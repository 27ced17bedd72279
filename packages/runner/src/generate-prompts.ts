// The prompts of `dlm generate`: one `--prompt "text"`, one `--prompt-ids 1,2,3`, or a JSONL file
// (`--prompts`) of `{"prompt": "text"}` / `{"prompt_ids": [...]}` rows; and the left padding of a
// batch of prompts of different lengths, as ML-GSAI/LLaDA generate.py @b7e6c356 pads a batch (pad id on
// the left, attention 0 there; fixtures/checkpoints/README.md §7.3).
import { existsSync } from 'node:fs';
import { ConfigError, brief, type Nd } from '@dlm/core';
import { readJsonlRows } from '@dlm/eval';

/** One prompt: text (needs a tokenizer) or token ids. */
export type PromptInput = { text: string } | { ids: number[] };

export interface PromptSources {
  prompt?: string | undefined;
  promptIds?: string | undefined;
  promptsFile?: string | undefined;
}

const OP = 'dlm generate';

/** "47, 51,7" → [47, 51, 7]; every entry an integer ≥ 0. */
export function parsePromptIds(s: string, arg = '--prompt-ids'): number[] {
  const parts = s.split(',').map((p) => p.trim());
  const ids = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p))) {
    const expected = 'comma-separated integer token ids ≥ 0 (e.g. 1,2,3)';
    throw new ConfigError({ op: OP, arg, expected, got: brief(s) });
  }
  return ids;
}

function promptRow(row: unknown, where: string): PromptInput {
  const r = row as Record<string, unknown> | null;
  const expected = '{"prompt": "text"} or {"prompt_ids": [ids]}';
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    throw new ConfigError({ op: OP, arg: where, expected, got: brief(row) });
  }
  const keys = Object.keys(r);
  if (keys.length === 1 && typeof r['prompt'] === 'string') return { text: r['prompt'] };
  const ids = r['prompt_ids'];
  if (keys.length === 1 && Array.isArray(ids) && ids.length > 0 && ids.every((i) => Number.isInteger(i) && i >= 0)) {
    return { ids: ids as number[] };
  }
  const full = `${expected} (ids: integers ≥ 0, at least one)`;
  throw new ConfigError({ op: OP, arg: where, expected: full, got: brief(row) });
}

/** The prompts of exactly one of the three sources. */
export function readPrompts(src: PromptSources): PromptInput[] {
  const given = (['prompt', 'promptIds', 'promptsFile'] as const).filter((k) => src[k] !== undefined);
  if (given.length !== 1) {
    const expected = 'exactly one of --prompt, --prompt-ids, --prompts';
    throw new ConfigError({ op: OP, arg: '--prompt', expected, got: `${given.length} given` });
  }
  if (src.prompt !== undefined) return [{ text: src.prompt }];
  if (src.promptIds !== undefined) return [{ ids: parsePromptIds(src.promptIds) }];
  const file = src.promptsFile!;
  if (!existsSync(file)) {
    throw new ConfigError({ op: OP, arg: `--prompts ${file}`, expected: 'an existing JSONL file' }, 'does not exist');
  }
  const rows = readJsonlRows(file, OP).map(({ line, value }) => promptRow(value, `${file}:${line}`));
  if (rows.length === 0) {
    throw new ConfigError({ op: OP, arg: `--prompts ${file}`, expected: 'at least one prompt row' }, 'is empty');
  }
  return rows;
}

/**
 * Left-pads rows to the longest: prompt [B, P] with `padId` on the left; `attention` [B, P] (0 on the
 * padding) only when the lengths differ — equal rows run without a mask, as the reference does.
 */
export function leftPad(
  rows: readonly ArrayLike<number>[],
  padId: number,
): { prompt: Nd<Int32Array>; attention?: Nd<Int32Array> } {
  const P = Math.max(...rows.map((r) => r.length));
  const B = rows.length;
  const ids = new Int32Array(B * P).fill(padId);
  const mask = new Int32Array(B * P);
  rows.forEach((r, b) => {
    const off = b * P + P - r.length;
    ids.set(Array.from(r), off);
    mask.fill(1, off, (b + 1) * P);
  });
  const ragged = rows.some((r) => r.length !== P);
  return { prompt: { data: ids, shape: [B, P] }, ...(ragged ? { attention: { data: mask, shape: [B, P] } } : {}) };
}
