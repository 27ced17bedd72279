// The reference-parity harness runs twice: on the wasm kernels and on the native kernel path (vitest.shared.ts).
import { withNativeRerun } from '../../vitest.shared.ts';

export default withNativeRerun('parity', ['src/parity.test.ts']);
