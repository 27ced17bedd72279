import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheRoot, findProjectRoot } from './cache-dir.ts';

function project(pkg: object): string {
  const root = mkdtempSync(join(tmpdir(), 'dlm-cache-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify(pkg));
  mkdirSync(join(root, 'packages', 'data'), { recursive: true });
  writeFileSync(join(root, 'packages', 'data', 'package.json'), JSON.stringify({ name: '@dlm/data' }));
  return root;
}

describe('cacheRoot', () => {
  it('DLM_CACHE_DIR wins, resolved against the working directory', () => {
    expect(cacheRoot({ DLM_CACHE_DIR: 'c' }, '/somewhere')).toBe('/somewhere/c');
    expect(cacheRoot({ DLM_CACHE_DIR: '/abs/c', XDG_CACHE_HOME: '/x' }, '/somewhere')).toBe('/abs/c');
  });

  it('inside the project: data/prepared at the root, found past nested package.json files', () => {
    const root = project({ name: 'dlm', workspaces: ['packages/*'] });
    expect(findProjectRoot(join(root, 'packages', 'data'))).toBe(root);
    expect(cacheRoot({}, join(root, 'packages', 'data'))).toBe(join(root, 'data', 'prepared'));
    const other = project({ name: 'not-dlm', workspaces: ['a'] }); // any workspace root counts
    expect(cacheRoot({}, other)).toBe(join(other, 'data', 'prepared'));
  });

  it('outside any project: $XDG_CACHE_HOME/dlm, else ~/.cache/dlm', () => {
    const root = project({ name: 'someone-else' });
    const dir = join(root, 'packages', 'data'); // no dlm / workspace package.json above (tmpdir has none)
    expect(findProjectRoot(dir)).toBeUndefined();
    expect(cacheRoot({ XDG_CACHE_HOME: '/xdg' }, dir)).toBe('/xdg/dlm');
    expect(cacheRoot({}, dir)).toBe(join(homedir(), '.cache', 'dlm'));
  });
});
