// The one tfjs-core instance every package uses: `import { tf } from '@dlm/core'`.
export * as tf from '@tensorflow/tfjs-core';
// tfjs-core's main bundle registers no gradients (the @tensorflow/tfjs union package does);
// losses are trained, so register them all here (they go into tfjs's global gradient registry).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
