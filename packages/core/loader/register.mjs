// Everything a Node process needs to run dlm's TypeScript sources directly:
// the tfjs ESM resolve hook and tsx's loader. Used by the `dlm` binary and by tests that
// spawn child processes: `node --import <repo>/packages/core/loader/register.mjs file.ts`.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

register('./tfjs-esm-resolve.mjs', import.meta.url);
registerTsx();
