// `dlm eval`: the bare form runs a run's default evaluation (its bound, or DiffuSeq's seq2seq metrics); each verb
// is one file here and one line below.
import type { CommandModule } from 'yargs';
import { evalDefault } from './default.ts';
import { evalGenPpl } from './gen-ppl.ts';
import { evalGenerate } from './generate.ts';
import { evalLikelihood } from './likelihood.ts';
import { evalMc } from './mc.ts';

const verbs: readonly CommandModule[] = [
  evalDefault as CommandModule,
  evalMc as CommandModule,
  evalGenerate as CommandModule,
  evalLikelihood as CommandModule,
  evalGenPpl as CommandModule,
];

export const evalCommand: CommandModule = {
  command: 'eval',
  describe:
    "Evaluate a run or a checkpoint folder: bare `dlm eval <run>` is the family's default evaluation (validation bound, or DiffuSeq's BLEU/ROUGE-L); verbs below",
  builder: (y) => {
    for (const v of verbs) y.command(v as never);
    return y.demandCommand(1, 'Name a run, or an eval verb.') as never;
  },
  handler: () => {},
};
