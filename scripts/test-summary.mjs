// Adds up the per-package vitest JSON reports (.test-results/*.json) into one closing line:
// "Tests: N passed, N failed". Exits 1 if any test failed or a package wrote no report.
import { readdirSync, readFileSync, existsSync } from 'node:fs';

const dir = '.test-results';
if (!existsSync(dir)) {
  console.error('test-summary: no .test-results folder: did the package tests run?');
  process.exit(1);
}
let passed = 0,
  failed = 0,
  skipped = 0;
const rows = [];
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const p = r.numPassedTests ?? 0,
    fl = (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0),
    s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  passed += p;
  failed += fl;
  skipped += s;
  rows.push(
    `  ${f
      .replace(/\.json$/, '')
      .replace(/^_dlm_/, '@dlm/')
      .padEnd(16)} ${String(p).padStart(5)} passed ${String(fl).padStart(3)} failed`,
  );
}
console.log(rows.join('\n'));
// A skipped test counts as a failure in this project (docs/design.md: tests and fixtures).
console.log(`Tests: ${passed} passed, ${failed + skipped} failed`);
process.exit(failed + skipped > 0 ? 1 : 0);
