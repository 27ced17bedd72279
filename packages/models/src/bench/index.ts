export {
  runKernelBench,
  type KernelBenchOptions,
  type KernelBenchResult,
  type MatmulFigure,
  type ThroughputFigure,
  type KernelShare,
  type StepProfile,
} from './kernel-bench.ts';
export { formatKernelBench, formatProfile, type FormatKernelBenchOptions } from './format-kernel-bench.ts';
export {
  TORCH_BENCH_SCRIPT,
  DEFAULT_PYTHONS,
  TORCH_INSTALL_HINT,
  findTorchPython,
  runTorchBench,
  compareWithTorch,
  type TorchPython,
  type TorchBenchResult,
  type TorchBenchFigure,
  type TorchComparison,
} from './torch-compare.ts';
export {
  BENCH_NETWORK_DEFAULTS,
  resolveBenchNetwork,
  createBenchModel,
  sampleBatch,
  benchForward,
  benchTrainStep,
  benchNetworkFlops,
  type BenchNetworkConfig,
  type HostBatch,
} from './bench-network.ts';
