// Run directories: `<runs_dir>/<name>-<YYYYMMDD-HHMMSS>` holding resolved.yaml, data.json (data-record.ts of
// @dlm/data), run-state.json (run-state.ts), argv.txt, git.txt, tokenizer.json, metrics.jsonl (+ metrics.arrow),
// checkpoints/, samples/, loss.svg, summary.md, and extensions.jsonl when a run was extended (resume.ts). Created
// only after every input has been validated, so a bad input never leaves a half-made run behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export function newRunDir(runsDir: string, name: string): string {
  const base = join(runsDir, `${name}-${stamp()}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

export function gitDescribe(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return `${commit}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export interface RunFiles {
  resolvedYaml: string;
  argv: readonly string[];
  tokenizerState: unknown;
}

export function createRunDir(dir: string, f: RunFiles): void {
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  writeFileSync(join(dir, 'resolved.yaml'), f.resolvedYaml);
  writeFileSync(join(dir, 'argv.txt'), `${f.argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  writeFileSync(join(dir, 'git.txt'), `${gitDescribe()}\n`);
  writeFileSync(join(dir, 'tokenizer.json'), `${JSON.stringify(f.tokenizerState)}\n`);
}
