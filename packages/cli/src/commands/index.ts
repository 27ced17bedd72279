// Every `dlm` command, in the order `dlm --help` lists them.
import { infoCommand } from './info.ts';
import { benchCommand } from './bench.ts';

export const commands = [infoCommand, benchCommand] as const;
