#!/usr/bin/env node
// The `dlm` command. Sources are TypeScript run through tsx's loader (plus a resolve hook for
// tfjs's ESM files), so a fresh clone needs no build step: `npm ci && npx dlm --help`.
import '@dlm/core/loader/register.mjs';

const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
