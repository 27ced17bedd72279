export {
  runKernelBench,
  type KernelBenchOptions,
  type KernelBenchResult,
  type MatmulFigure,
  type ThroughputFigure,
} from './kernel-bench.ts';
export { formatKernelBench } from './format-kernel-bench.ts';
export {
  BENCH_NETWORK_DEFAULTS,
  resolveBenchNetwork,
  createBenchModel,
  sampleBatch,
  benchForward,
  benchTrainStep,
  type BenchNetworkConfig,
  type HostBatch,
} from './bench-network.ts';
