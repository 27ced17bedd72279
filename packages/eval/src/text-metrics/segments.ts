// Line-aligned text files of hypotheses and references (the seq2seq-metrics fixture README, "Reading the text
// files"): UTF-8, one segment a line; the content without its single final '\n' is split on '\n' and every piece is
// kept exactly as stored (no trimming: leading/trailing blanks, tabs and empty segments are data). A file without
// a final '\n' keeps its last piece too. Line i of the hypotheses pairs with line i of the references.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ConfigError, ShapeError } from '@dlm/core/errors';

/** The segments of a text: drop one final '\n', split on '\n', keep every piece as is ('' → no segment). */
export function splitSegments(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Reads a segment file; `arg` names the option or argument that gave the path (e.g. '--hyp'). */
export function readSegments(path: string, arg: string, op = 'readSegments'): string[] {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new ConfigError({
      op,
      arg,
      expected: 'an existing text file, one segment a line',
      got: JSON.stringify(path),
    });
  }
  return splitSegments(readFileSync(path, 'utf8'));
}

/** Throws a ShapeError unless hypotheses and references are aligned one to one. */
export function assertAligned(
  op: string,
  hyps: readonly string[],
  refs: readonly string[],
  names: { hyps: string; refs: string } = { hyps: 'hypotheses', refs: 'references' },
): void {
  if (hyps.length !== refs.length) {
    throw new ShapeError({
      op,
      arg: names.refs,
      expected: `${hyps.length} lines, as many as ${names.hyps}`,
      got: `${refs.length} lines`,
    });
  }
}
