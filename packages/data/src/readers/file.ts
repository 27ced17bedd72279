import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataError } from '../errors.ts';

/** Throws DataError naming the file unless it exists and is a regular file. */
export function assertReadable(op: string, path: string): void {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new DataError({ op, arg: resolve(path), expected: 'an existing file' }, 'not found');
}
