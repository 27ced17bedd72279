// The checkpoint-parity files run twice: on the wasm kernels and on the native kernel path (vitest.shared.ts).
import { withNativeRerun } from '../../vitest.shared.ts';

export default withNativeRerun('models', [
  'src/backbones/dit/checkpoint-parity.test.ts',
  'src/backbones/gpt2/checkpoint-parity.test.ts',
  'src/backbones/llada/checkpoint-parity.test.ts',
  'src/backbones/llada/generate-parity.test.ts',
  'src/backbones/llada/fastdllm-parity.test.ts',
]);
