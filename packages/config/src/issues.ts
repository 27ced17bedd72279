// Config errors: every problem names the file it came from, the dotted path, what was expected
// and what was found. Several problems found in one pass are reported together.
import { ConfigError } from '@dlm/core';

export interface ConfigIssue {
  /** The YAML file (or `--set`) the offending value came from. */
  file: string;
  /** Dotted path inside the config, '' for the root. */
  path: string;
  /** What is wrong ("unknown key", "wrong type", …), with a suggestion when there is one. */
  problem: string;
  expected?: string;
  got?: string;
}

/** A ConfigError carrying every issue found; `message` lists them one per line. */
export class ConfigIssuesError extends ConfigError {
  readonly issues: readonly ConfigIssue[];
  constructor(op: string, issues: readonly ConfigIssue[]) {
    const [first, ...rest] = issues;
    if (!first) throw new TypeError('ConfigIssuesError needs at least one issue');
    super({ op, arg: where(first), expected: first.expected, got: first.got }, first.problem);
    this.issues = issues;
    if (rest.length) this.message += `\n${rest.map((i) => `  ${formatIssue(i)}`).join('\n')}`;
  }
}

function where(i: ConfigIssue): string {
  return `${i.file}: ${i.path === '' ? '(root)' : i.path}`;
}

export function formatIssue(i: ConfigIssue): string {
  let s = `${where(i)} ${i.problem}`;
  if (i.expected !== undefined) s += `, expected ${i.expected}`;
  if (i.got !== undefined) s += `, got ${i.got}`;
  return s;
}

/** Joins path segments into the dotted form used in messages and `--set`. */
export function joinPath(parts: readonly (string | number)[]): string {
  return parts.map(String).join('.');
}
