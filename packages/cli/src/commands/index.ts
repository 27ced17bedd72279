// Every `dlm` command, in the order `dlm --help` lists them.
import { infoCommand } from './info.ts';
import { dataCommand } from './data.ts';
import { benchCommand } from './bench.ts';

export const commands = [dataCommand, infoCommand, benchCommand] as const;
