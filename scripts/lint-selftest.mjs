// Proves the import-cycle rule of eslint.config.js really fires, so a green `npm run lint` means "no cycles"
// and not "the resolver silently found nothing". Exits 1 unless ESLint reports every planted cycle:
//   1. relative `.ts` imports: scripts/lint-fixtures/cycle/a.ts ↔ b.ts;
//   2. bare `@dlm/*` specifiers mapped by a tsconfig `paths` (scripts/lint-fixtures/alias-cycle/), and the
//      same files with the repo tsconfig, where the specifiers do not resolve, must report nothing (control);
//   3. a real cross-package cycle through the npm workspaces (package.json `exports` → src/index.ts):
//      @dlm/core's index.ts, as if it imported @dlm/schedules (which imports @dlm/core). Linted from memory
//      with lintText, no file is written.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import config from '../eslint.config.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = 'scripts/lint-fixtures';
const RULE = 'import-x/no-cycle';

const aliasTsconfig = join(root, fixtures, 'alias-cycle/tsconfig.json');
const withAliasResolver = {
  files: [`${fixtures}/alias-cycle/**/*.ts`],
  settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: aliasTsconfig })] },
};
// `ignore: false` lints the fixture folder that the normal run ignores.
const eslintRepo = new ESLint({ cwd: root, ignore: false });
const eslintAlias = new ESLint({
  cwd: root,
  ignore: false,
  overrideConfigFile: true,
  overrideConfig: [...config, withAliasResolver],
});

const cycles = (results) =>
  results.flatMap((r) =>
    r.messages.filter((m) => m.ruleId === RULE).map((m) => `${r.filePath}:${m.line} ${m.message}`),
  );

let failures = 0;
function expect(name, found, want) {
  const ok = want === 'some' ? found.length > 0 : found.length === 0;
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${found.length} ${RULE} report(s), expected ${want}`);
  for (const f of found) console.log(`       ${f}`);
}

expect(
  'relative .ts cycle',
  cycles(await eslintRepo.lintFiles([`${fixtures}/cycle/a.ts`, `${fixtures}/cycle/b.ts`])),
  'some',
);

const aliasFiles = [`${fixtures}/alias-cycle/left/index.ts`, `${fixtures}/alias-cycle/right/index.ts`];
expect('@dlm/* cycle via tsconfig paths', cycles(await eslintAlias.lintFiles(aliasFiles)), 'some');
expect('control: same files, paths not configured', cycles(await eslintRepo.lintFiles(aliasFiles)), 'none');

const coreIndex = join(root, 'packages/core/src/index.ts');
const coreText = readFileSync(coreIndex, 'utf8');
expect(
  'control: @dlm/core index as committed',
  cycles(await eslintRepo.lintText(coreText, { filePath: coreIndex })),
  'none',
);
const cyclic = `${coreText}\nexport * from '@dlm/schedules';\n`;
expect(
  'workspace cycle @dlm/core → @dlm/schedules → @dlm/core',
  cycles(await eslintRepo.lintText(cyclic, { filePath: coreIndex })),
  'some',
);

console.log(
  failures === 0
    ? 'lint:selftest: the cycle rule fires on every planted cycle'
    : `lint:selftest: ${failures} check(s) failed`,
);
process.exit(failures === 0 ? 0 : 1);
