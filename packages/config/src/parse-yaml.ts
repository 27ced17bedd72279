// YAML text → plain tree. Duplicate keys, unknown tags and syntax errors are errors naming
// file, line and column. Nothing in a string is evaluated: `${...}` is refused outright so a
// Hydra/OmegaConf habit fails loudly instead of becoming a literal string.
import { parseDocument } from 'yaml';
import { ConfigIssuesError, type ConfigIssue } from './issues.ts';
import { isPlainObject } from './schema-walk.ts';
import type { Tree } from './merge.ts';

export function parseYaml(text: string, file: string): Tree {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length) {
    throw new ConfigIssuesError(
      'config.parse',
      problems.map((e) => {
        const pos = e.linePos?.[0];
        const first = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return {
          file,
          path: pos ? `line ${pos.line}, column ${pos.col}` : '',
          problem: first,
          expected: 'valid YAML with unique keys',
        };
      }),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigIssuesError('config.parse', [
      {
        file,
        path: '',
        problem: 'the document root is not a mapping',
        expected: 'a mapping of keys',
        got: Array.isArray(value) ? 'a list' : typeof value,
      },
    ]);
  }
  const issues: ConfigIssue[] = [];
  findInterpolation(value, file, '', issues);
  if (issues.length) throw new ConfigIssuesError('config.parse', issues);
  return value;
}

function findInterpolation(v: unknown, file: string, path: string, out: ConfigIssue[]): void {
  if (typeof v === 'string' && v.includes('${')) {
    out.push({
      file,
      path,
      problem: 'uses ${...} interpolation, which is not supported (nothing in a config is evaluated)',
      expected: 'a literal value',
      got: JSON.stringify(v),
    });
  } else if (Array.isArray(v)) v.forEach((x, i) => findInterpolation(x, file, path ? `${path}.${i}` : String(i), out));
  else if (isPlainObject(v))
    for (const [k, x] of Object.entries(v)) findInterpolation(x, file, path ? `${path}.${k}` : k, out);
}
