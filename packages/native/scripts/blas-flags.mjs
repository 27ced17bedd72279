// Compiler and linker flags for OpenBLAS, for binding.gyp: `node scripts/blas-flags.mjs include|libs`.
// pkg-config's answer when it knows openblas (Debian: the openblas-pthread include folder, which holds
// the cblas.h declaring openblas_set_num_threads), else the system's default folders and -lopenblas.
import { execFileSync } from 'node:child_process';

function pkgConfig(flag) {
  try {
    return execFileSync('pkg-config', [flag, 'openblas'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  } catch {
    return undefined;
  }
}

const what = process.argv[2];
if (what === 'include') {
  const flags = pkgConfig('--cflags-only-I') ?? [];
  console.log(flags.map((f) => f.replace(/^-I/, '')).join(' '));
} else if (what === 'libs') {
  const libs = pkgConfig('--libs') ?? ['-lopenblas'];
  // The folder pkg-config names is also searched at run time (the library is found without LD_LIBRARY_PATH).
  const rpaths = libs.filter((f) => f.startsWith('-L')).map((f) => `-Wl,-rpath,${f.slice(2)}`);
  console.log([...libs, ...rpaths].join(' '));
} else {
  console.error('usage: blas-flags.mjs include|libs');
  process.exit(2);
}
