// Probing the optional backend packages. The probe is injectable so the selection logic can be
// tested with a native package absent, present, or present-but-failing, without any real
// native package on the machine.

import { BACKEND_PACKAGE } from './names.ts';

/** The npm packages a backend candidate comes from. */
export const NATIVE_GPU_PACKAGE = BACKEND_PACKAGE['tfjs-node-gpu']!;
export const NATIVE_PACKAGE = BACKEND_PACKAGE['tfjs-node']!;
export const WASM_PACKAGE = BACKEND_PACKAGE.wasm!;

export type ProbeResult =
  /** The package loaded; `tfjsBackend` is the tfjs backend name it registered. */
  | { status: 'ok'; tfjsBackend: string }
  /** The package itself is not installed. */
  | { status: 'absent' }
  /** The package is installed but loading it threw (e.g. libtensorflow missing or broken). */
  | { status: 'failed'; error: string };

/** Loads a package (which registers its tfjs backend) and reports what happened. */
export type Probe = (pkg: string) => Promise<ProbeResult>;

/** True when `err` says that `pkg` itself (not one of its own dependencies) cannot be found. */
export function isMissingPackage(err: unknown, pkg: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = e?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const msg = typeof e?.message === 'string' ? e.message : '';
  // Node: "Cannot find package '<pkg>' imported from …" (ESM) / "Cannot find module '<pkg>'" (CJS).
  return msg.includes(`'${pkg}'`) || msg.includes(`"${pkg}"`);
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

const TFJS_BACKEND_OF: Record<string, string> = {
  [NATIVE_GPU_PACKAGE]: 'tensorflow',
  [NATIVE_PACKAGE]: 'tensorflow',
  [WASM_PACKAGE]: 'wasm',
};

/** The real probe: `import(pkg)`. Importing a tfjs backend package registers its backend. */
export const defaultProbe: Probe = async (pkg) => {
  try {
    await import(pkg);
    return { status: 'ok', tfjsBackend: TFJS_BACKEND_OF[pkg] ?? pkg };
  } catch (err) {
    if (isMissingPackage(err, pkg)) return { status: 'absent' };
    return { status: 'failed', error: firstLine(err) };
  }
};

/** Probe results are cached per probe function: a package is imported at most once. */
const cache = new WeakMap<Probe, Map<string, Promise<ProbeResult>>>();

export function probeCached(probe: Probe, pkg: string): Promise<ProbeResult> {
  let m = cache.get(probe);
  if (!m) cache.set(probe, (m = new Map()));
  let r = m.get(pkg);
  if (!r) m.set(pkg, (r = probe(pkg)));
  return r;
}

/** Short human form of a probe result, for the info line. */
export function describeProbe(pkg: string, r: ProbeResult): string {
  if (r.status === 'absent') return `${pkg} not installed`;
  if (r.status === 'failed') return `${pkg} failed to load (${r.error})`;
  return `${pkg} loaded`;
}
