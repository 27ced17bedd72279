#!/usr/bin/env node
// The `dlm` command. Sources are TypeScript run through tsx's loader, so a fresh clone needs
// no build step: `npm ci && npx dlm --help`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
