// The multiple-choice fixture (reference log-likelihoods through a checkpoint) runs twice: on the wasm kernels and
// on the native kernel path (vitest.shared.ts).
import { withNativeRerun } from '../../vitest.shared.ts';

export default withNativeRerun('runner', ['src/eval-mc-fixtures.test.ts']);
