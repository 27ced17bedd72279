// Measures the bundled corpora for the dataset cards: documents, characters (UTF-16 code
// units, as JS counts them) and tokens per split for each tokenizer.
//   node --import @dlm/core/loader/register.mjs packages/data/scripts/measure-corpora.ts [dataset ...]
import { SPLIT_NAMES } from '../src/document.ts';
import { getDataset } from '../src/corpora/registry.ts';
import { buildTokenizer } from '../src/tokenizers/registry.ts';

const names = process.argv.slice(2).length ? process.argv.slice(2) : ['moby-dick', 'sotu', 'brown', 'text8-moby'];
for (const name of names) {
  const ds = getDataset(name);
  const toks = name.startsWith('text8') ? ['char'] : ['gpt2', 'char'];
  for (const tname of toks) {
    const tok = await buildTokenizer({ name: tname });
    const rows: string[] = [];
    const total = { docs: 0, chars: 0, tokens: 0 };
    for (const split of SPLIT_NAMES) {
      let docs = 0,
        chars = 0,
        tokens = 0;
      for await (const d of ds.documents(split)) {
        docs++;
        chars += d.text.length;
        tokens += tok.encode(d.text).length;
      }
      total.docs += docs;
      total.chars += chars;
      total.tokens += tokens;
      rows.push(`| ${split} | ${docs} | ${chars.toLocaleString('en-US')} | ${tokens.toLocaleString('en-US')} |`);
    }
    rows.push(
      `| total | ${total.docs} | ${total.chars.toLocaleString('en-US')} | ${total.tokens.toLocaleString('en-US')} |`,
    );
    console.log(
      `\n${name} — ${tname} tokens\n| split | documents | characters | tokens |\n|---|---:|---:|---:|\n${rows.join('\n')}`,
    );
  }
}

// Data-built vocabularies (built on train, as prepare does).
for (const name of names) {
  const ds = getDataset(name);
  const sizes: string[] = [];
  for (const spec of [{ name: 'char-vocab' }, { name: 'word', options: { minCount: 2 } }]) {
    const tok = await buildTokenizer(spec, async function* () {
      for await (const d of ds.documents('train')) yield d.text;
    });
    let unk = 0,
      total = 0;
    for await (const d of ds.documents('validation')) {
      const ids = tok.encode(d.text);
      total += ids.length;
      for (const id of ids) if (id === tok.specials.unk) unk++;
    }
    sizes.push(
      `${spec.name}${spec.options ? ' (minCount 2)' : ''}: vocab ${tok.vocabSize}, validation <unk> rate ${((100 * unk) / total).toFixed(2)}%`,
    );
  }
  console.log(`${name}: ${sizes.join('; ')}`);
}
