// Backend initialisation (minimal: cpu). The full selection order
// tfjs-node-gpu → tfjs-node → wasm → cpu lives in select.ts (being written).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export interface BackendInfo {
  name: string;
  reason: string;
}

export async function initBackend(opts: { backend?: string } = {}): Promise<BackendInfo> {
  const name = opts.backend ?? 'cpu';
  await tf.setBackend(name);
  await tf.ready();
  return { name: tf.getBackend(), reason: 'forced' };
}
