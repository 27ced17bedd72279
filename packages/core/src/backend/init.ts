// Kept for imports of the original path; the selection lives in select.ts.
export { initBackend, shutdownBackend, availableBackends, currentBackend } from './select.ts';
export type { BackendInfo, BackendName, InitBackendOptions } from './select.ts';
