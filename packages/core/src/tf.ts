// The one tfjs-core instance every package uses: `import { tf } from '@dlm/core'`.
export * as tf from '@tensorflow/tfjs-core';
