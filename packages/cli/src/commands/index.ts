// Every `dlm` command, in the order `dlm --help` lists them.
import { trainCommand } from './train.ts';
import { sampleCommand } from './sample.ts';
import { generateCommand } from './generate.ts';
import { evalCommand } from './eval/index.ts';
import { metricsCommand } from './metrics.ts';
import { dataCommand } from './data.ts';
import { infoCommand } from './info.ts';
import { benchCommand } from './bench.ts';
import { sweepCommand } from './sweep/index.ts';

export const commands = [
  trainCommand,
  sampleCommand,
  generateCommand,
  evalCommand,
  metricsCommand,
  dataCommand,
  infoCommand,
  benchCommand,
  sweepCommand,
] as const;
