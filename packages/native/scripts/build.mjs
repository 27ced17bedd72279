// Builds the @dlm/native addon with node-gyp and records the outcome in build/status.json, which the loader
// (src/index.ts) reads to say why the native path is off. Run by the root package's postinstall (npm 11 runs a
// project's own lifecycle scripts on `npm ci`, but not a dependency's, workspace links included, unless approved
// in allowScripts); `node packages/native/scripts/build.mjs` rebuilds by hand. Never fails the install: a machine
// without a compiler or OpenBLAS gets a status saying so, and dlm falls back to XNNPACK.
//
// node-gyp: the one npm bundles (npm_config_node_gyp in npm scripts, else next to npm-cli.js), with --nodedir at
// the installed Node headers (<prefix>/include/node) when they exist, so nothing is downloaded.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..');
const buildDir = path.join(pkgDir, 'build');
const statusFile = path.join(buildDir, 'status.json');
const logFile = path.join(buildDir, 'build.log');
const addonFile = path.join(buildDir, 'Release', 'dlm_native.node');

function record(status) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(statusFile, JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2) + '\n');
  const line = status.built
    ? `@dlm/native: built (${status.blas})`
    : `@dlm/native: not built: ${status.reason} (dlm uses the wasm kernels)`;
  console.log(line);
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', ...opts });
}

function compiler() {
  for (const c of [process.env.CXX, 'c++', 'g++', 'clang++'].filter(Boolean)) {
    if (run(c, ['--version']).status === 0) return c;
  }
  return undefined;
}

/** Compiles and links a program calling OpenBLAS; undefined when it works, else the compiler's first error. */
function blasMissing(cxx) {
  const flags = (what) =>
    execFileSync(process.execPath, [path.join(here, 'blas-flags.mjs'), what], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  const includes = flags('include').map((d) => `-I${d}`);
  const probe =
    '#include <cblas.h>\nextern "C" void openblas_set_num_threads(int);\n' +
    'int main() { openblas_set_num_threads(1); float a = 1, b = 1, c = 0;\n' +
    '  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.f, &a, 1, &b, 1, 0.f, &c, 1); return c != 1; }\n';
  const out = path.join(buildDir, 'blas-probe');
  mkdirSync(buildDir, { recursive: true });
  const r = run(cxx, ['-x', 'c++', '-', ...includes, '-o', out, ...flags('libs')], { input: probe });
  if (r.status !== 0) return (r.stderr || r.stdout || 'compile failed').split('\n').find((l) => l.trim()) ?? '';
  const exec = run(out, []);
  return exec.status === 0 ? undefined : `the probe program failed to run (${exec.stderr.trim() || exec.status})`;
}

function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath)
    candidates.push(
      path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  candidates.push(
    path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  return candidates.find((c) => c && existsSync(c));
}

function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function main() {
  if (process.platform === 'win32') return record({ built: false, reason: 'Windows is not supported' });
  const cxx = compiler();
  if (!cxx) return record({ built: false, reason: 'no C++ compiler (c++, g++ or clang++ not found; set CXX)' });
  if (process.platform !== 'darwin') {
    const why = blasMissing(cxx);
    if (why !== undefined)
      return record({ built: false, reason: `no OpenBLAS (install libopenblas-dev): ${why.slice(0, 200)}` });
  }
  const gyp = nodeGyp();
  if (!gyp)
    return record({ built: false, reason: 'node-gyp not found (neither npm_config_node_gyp nor npm’s bundled one)' });
  const dir = nodeDir();
  const args = [gyp, 'rebuild', ...(dir ? [`--nodedir=${dir}`] : [])];
  const r = run(process.execPath, args, { cwd: pkgDir, env: { ...process.env, CXX: cxx } });
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(logFile, `$ node ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  if (r.status !== 0 || !existsSync(addonFile)) {
    const err = `${r.stderr}`.split('\n').filter((l) => /error/i.test(l))[0] ?? `exit ${r.status}`;
    return record({ built: false, reason: `build failed: ${err.trim().slice(0, 200)} (log: ${logFile})` });
  }
  // Load it in a child (a crash here must not take the install down) and run one product.
  const check = run(process.execPath, [
    '-e',
    `const a = require(${JSON.stringify(addonFile)}); const h = new Float32Array([1, 2, 3, 4, 5, 6, 0, 0]);
     a.gemm(h, 1, 1, 2, 2, 0, 0, 0, 0, 2, 0, 6, 2, -1, 0, 0, 0);
     if (h[6] !== 13 || h[7] !== 16) throw new Error('wrong product ' + h[6] + ',' + h[7]);
     process.stdout.write(a.blasInfo());`,
  ]);
  if (check.status !== 0)
    return record({ built: false, reason: `built but failed its check: ${check.stderr.trim().split('\n')[0]}` });
  return record({ built: true, blas: check.stdout.trim(), addon: addonFile, nodedir: dir ?? null });
}

main();
