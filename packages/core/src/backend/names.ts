// The backend names users type (--backend, DLM_BACKEND, the `backend` option) and see (`dlm info`,
// errors), in selection order. The one place they are written: help texts, error messages and the
// docs test read this list. No tfjs import, so `dlm --help` can print it without starting tfjs.

/** Our names for the candidates, in selection order; each native one is named after its npm package. */
export const BACKEND_ORDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/** The npm package a candidate comes from (cpu is built into @dlm/core's dependencies). */
export const BACKEND_PACKAGE: Readonly<Record<BackendName, string | undefined>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: undefined,
};

/** `tfjs-node-gpu | tfjs-node | wasm | cpu`, for help texts. */
export function backendNamesHelp(sep = ' | '): string {
  return BACKEND_ORDER.join(sep);
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(name);
}
