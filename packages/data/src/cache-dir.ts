// Where prepared token shards live when an experiment does not say (`data.prepared_dir`):
//   1. $DLM_CACHE_DIR, if set;
//   2. `data/prepared/` at the root of the dlm checkout containing the working directory (the
//      nearest ancestor package.json named "dlm" or with a `workspaces` field), so every command
//      run anywhere inside the project shares one cache;
//   3. otherwise the user cache: $XDG_CACHE_HOME/dlm, else ~/.cache/dlm.
// Shards are keyed by their inputs (manifest.json's inputKey), so one cache serves every run.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The nearest ancestor of `from` (itself included) holding the dlm workspace package.json. */
export function findProjectRoot(from: string = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown; workspaces?: unknown };
        if (json.name === 'dlm' || json.workspaces !== undefined) return dir;
      } catch {
        // an unreadable package.json is not the project root; keep walking up
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The absolute cache root (see the file comment for the order). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  if (env.DLM_CACHE_DIR) return resolve(cwd, env.DLM_CACHE_DIR);
  const root = findProjectRoot(cwd);
  if (root) return join(root, 'data', 'prepared');
  const xdg = env.XDG_CACHE_HOME;
  return xdg ? join(resolve(cwd, xdg), 'dlm') : join(homedir(), '.cache', 'dlm');
}
