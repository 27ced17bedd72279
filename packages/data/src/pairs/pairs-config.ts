// `data.pairs`: prompt/response (source/target) pairs, the one paired-data mode that LLaDA's SFT
// (ML-GSAI/LLaDA GUIDELINES.md: prompt + response per row) and DiffuSeq's seq2seq files
// (Shark-NLP/DiffuSeq: one `{"src": …, "trg": …}` object per line) both use.
//   {format: jsonl | csv | parquet | arrow (default jsonl), path,
//    source_field (default 'prompt'), target_field (default 'response')}
// DiffuSeq's files: {format: 'jsonl', path, source_field: 'src', target_field: 'trg'}.
import { ConfigError, brief } from '@dlm/core';

export const PAIR_FORMATS = ['jsonl', 'csv', 'parquet', 'arrow'] as const;
export type PairFormat = (typeof PAIR_FORMATS)[number];

/** The config shape (field names as in the YAML config). */
export interface PairsConfig {
  format?: PairFormat;
  path: string;
  source_field?: string;
  target_field?: string;
}

export type ResolvedPairsConfig = Required<PairsConfig>;

export const PAIRS_DEFAULTS = { format: 'jsonl', source_field: 'prompt', target_field: 'response' } as const;

/** Validates `data.pairs` and fills the defaults; every error names `data.pairs.<key>`. */
export function resolvePairsConfig(raw: unknown): ResolvedPairsConfig {
  const op = 'data.pairs';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError({
      op,
      arg: 'data.pairs',
      expected: 'an object {format, path, source_field, target_field}',
      got: brief(raw),
    });
  }
  const o = raw as Record<string, unknown>;
  const keys = ['format', 'path', 'source_field', 'target_field'];
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) {
      throw new ConfigError(
        {
          op,
          arg: `data.pairs.${k}`,
          expected: `one of ${keys.join(', ')}`,
        },
        'is not a known key',
      );
    }
  }
  const format = o['format'] ?? PAIRS_DEFAULTS.format;
  if (!(PAIR_FORMATS as readonly unknown[]).includes(format)) {
    throw new ConfigError({
      op,
      arg: 'data.pairs.format',
      expected: `one of ${PAIR_FORMATS.join(', ')}`,
      got: brief(format),
    });
  }
  const str = (k: string, dflt?: string): string => {
    const v = o[k] ?? dflt;
    if (typeof v !== 'string' || v.length === 0) {
      throw new ConfigError({ op, arg: `data.pairs.${k}`, expected: 'a non-empty string', got: brief(v) });
    }
    return v;
  };
  const source = str('source_field', PAIRS_DEFAULTS.source_field);
  const target = str('target_field', PAIRS_DEFAULTS.target_field);
  if (source === target) {
    throw new ConfigError({
      op,
      arg: 'data.pairs.target_field',
      expected: `a field other than source_field "${source}"`,
      got: brief(target),
    });
  }
  return { format: format as PairFormat, path: str('path'), source_field: source, target_field: target };
}
