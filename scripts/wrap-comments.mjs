// Rewraps comments that run past the line limit (Prettier wraps code, never comments). Only comment text moves:
//   - a full-line `//` comment over the limit is reflowed with the lines that continue its paragraph (same
//     indentation, same `// ` prefix; a list item `// - ` keeps its hanging indent);
//   - a trailing `// comment` that makes its code line too long moves, wrapped, onto its own lines above the code;
//   - a JSDoc/block comment line ` * text` over the limit is reflowed like a `//` paragraph, and a one-line
//     `/** text */` over the limit becomes a multi-line block.
// Directives (eslint-disable, @ts-*, prettier-ignore, ///) and words longer than the limit are left alone.
// Safety: each file is parsed before and after (typescript-eslint's parser); the file is written only if the
// token stream (all code and string literals) is identical and the comments hold the same words in the same order.
// Usage: node scripts/wrap-comments.mjs [--check] [--width N] [files or folders...]   (default: git's .ts/.js files)
//   --check: write nothing, list the comments that would change, exit 1 if any.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import tseslint from 'typescript-eslint';

const args = process.argv.slice(2);
const check = args.includes('--check');
const wIdx = args.indexOf('--width');
const WIDTH = wIdx >= 0 ? Number(args[wIdx + 1]) : 120;
const paths = args.filter((a, i) => !a.startsWith('--') && !(wIdx >= 0 && i === wIdx + 1));
const EXT = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIP = /(^|\/)(node_modules|dist|scripts\/lint-fixtures)\//;

function listFiles() {
  const out = execFileSync('git', ['ls-files', '-z', '--', ...(paths.length ? paths : ['.'])], { encoding: 'utf8' });
  return out
    .split('\0')
    .filter((f) => f && EXT.test(f) && !SKIP.test(f) && statSync(f, { throwIfNoEntry: false })?.isFile());
}

function parse(text, file) {
  const { ast } = tseslint.parser.parseForESLint(text, {
    comment: true,
    tokens: true,
    loc: true,
    range: true,
    filePath: file,
    sourceType: file.endsWith('.cjs') ? 'script' : 'module',
    ecmaVersion: 'latest',
  });
  return ast;
}

const DIRECTIVE = /^\s*(eslint|@ts-|prettier-ignore|\/|#|global |istanbul|c8 |v8 |@vitest)/;
const LIST = /^((?:[-*+]|\d+[.)])\s+)/;
const words = (s) => s.split(/\s+/).filter(Boolean);
// Indented or column-aligned comment text (formulas, tables, code samples): reflowing would destroy its layout,
// so such lines are left for a hand edit and listed at the end.
const preformatted = (lead, body) => lead.length > 1 || / {3,}\S/.test(body);

// Greedy fill of `ws` into lines: the first starts with `first`, the rest with `rest`. A word longer than the
// room left stays whole on its own line.
function fill(ws, first, rest) {
  const lines = [];
  let cur = first;
  let empty = true;
  for (const w of ws) {
    if (!empty && cur.length + 1 + w.length > WIDTH) {
      lines.push(cur);
      cur = rest + w;
    } else {
      cur += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  lines.push(cur);
  return lines;
}

// Full-line `//` comments by line index: { indent, lead, body } for `${indent}//${lead}${body}`.
function lineComments(ast, lines) {
  const map = new Map();
  for (const c of ast.comments) {
    if (c.type !== 'Line') continue;
    const i = c.loc.start.line - 1;
    const before = lines[i].slice(0, c.loc.start.column);
    const m = /^( *)(.*)$/.exec(c.value);
    const entry = { indent: before, lead: m[1], body: m[2], value: c.value, col: c.loc.start.column };
    if (before.trim() === '') map.set(i, entry);
    else map.set(i, { ...entry, trailing: true });
  }
  return map;
}

// One rewrite step: finds the first overlong comment line at or after `from`, returns
// { start, end, replacement } (lines [start, end) replaced) or null.
function nextEdit(ast, lines, from) {
  const lc = lineComments(ast, lines);
  const blocks = ast.comments.filter((c) => c.type === 'Block');
  for (let i = from; i < lines.length; i++) {
    if (lines[i].length <= WIDTH) continue;
    const c = lc.get(i);
    if (c && !DIRECTIVE.test(c.value)) {
      if (c.trailing) {
        // Code, then a comment: the comment goes above the code, at the code's indentation.
        const code = lines[i].slice(0, c.col).trimEnd();
        if (code.includes('/*')) continue;
        const indent = /^ */.exec(lines[i])[0];
        const lead = c.lead || ' ';
        const above = fill(words(c.body), `${indent}//${lead}`, `${indent}//${lead}`);
        return { start: i, end: i + 1, replacement: [...above, code] };
      }
      if (preformatted(c.lead, c.body)) continue;
      const marker = LIST.exec(c.body)?.[1] ?? '';
      const hang = ' '.repeat(marker.length);
      const ws = words(c.body.slice(marker.length));
      let j = i + 1;
      for (; j < lines.length; j++) {
        const n = lc.get(j);
        if (!n || n.trailing || n.indent !== c.indent || DIRECTIVE.test(n.value)) break;
        if (n.lead !== c.lead) break;
        if (!n.body.startsWith(hang) || /^\s/.test(n.body.slice(hang.length)) || n.body.trim() === '') break;
        if (LIST.test(n.body) || preformatted(n.lead, n.body.slice(hang.length))) break;
        ws.push(...words(n.body));
      }
      const pre = `${c.indent}//${c.lead}`;
      return { start: i, end: j, replacement: fill(ws, pre + marker, pre + hang) };
    }
    const b = blocks.find((x) => x.loc.start.line - 1 <= i && i <= x.loc.end.line - 1);
    if (!b || /^\s*(eslint|@ts-|prettier-ignore|global )/.test(b.value.replace(/^\*/, ''))) continue;
    const s = b.loc.start.line - 1;
    const e = b.loc.end.line - 1;
    const ownStart = lines[s].slice(0, b.loc.start.column).trim() === '';
    const ownEnd = lines[e].slice(b.loc.end.column).trim() === '';
    if (s === e) {
      // `/** text */` alone on its line → a multi-line block.
      if (!ownStart || !ownEnd) continue;
      const indent = lines[s].slice(0, b.loc.start.column);
      const open = b.value.startsWith('*') ? '/**' : '/*';
      const body = b.value.slice(open.length - 2);
      return {
        start: s,
        end: s + 1,
        replacement: [`${indent}${open}`, ...fill(words(body), `${indent} * `, `${indent} * `), `${indent} */`],
      };
    }
    const m = /^( *)\* ( *)(.*)$/.exec(lines[i]);
    if (i === s || i === e || !m || m[3].includes('*/')) continue;
    if (preformatted(' ' + m[2], m[3])) continue;
    const indent = m[1];
    const marker = LIST.exec(m[3])?.[1] ?? '';
    const hang = ' '.repeat(marker.length);
    const ws = words(m[3].slice(marker.length));
    let j = i + 1;
    for (; j < e; j++) {
      const n = /^( *)\* (.*)$/.exec(lines[j]);
      if (!n || n[1] !== indent || n[2].trim() === '' || n[2].includes('*/')) break;
      const rest = n[2].slice(hang.length);
      if (
        !n[2].startsWith(hang) ||
        /^\s/.test(rest) ||
        LIST.test(n[2]) ||
        n[2].startsWith('@') ||
        preformatted(' ', rest)
      ) {
        break;
      }
      ws.push(...words(n[2]));
    }
    const pre = `${indent}* ${m[2]}`;
    return { start: i, end: j, replacement: fill(ws, pre + marker, pre + hang) };
  }
  return null;
}

const range = (a, b) => Array.from({ length: b - a }, (_, k) => a + k);
const codeTokens = (ast) => ast.tokens.map((t) => `${t.type}:${t.value}`).join('\n');
const commentWords = (ast) =>
  ast.comments.flatMap((c) => words(c.value.replace(/^\*/, '').replace(/^\s*\* ?/gm, ' '))).join(' ');

let changedFiles = 0;
let edits = 0;
let failed = 0;
const stillLong = [];
for (const file of listFiles()) {
  const original = readFileSync(file, 'utf8');
  let lines = original.split('\n');
  if (!lines.some((l) => l.length > WIDTH)) continue;
  let ast0;
  try {
    ast0 = parse(original, file);
  } catch (err) {
    console.error(`wrap-comments: ${file}: cannot parse (${err.message}); left as is`);
    failed++;
    continue;
  }
  const report = (ast, ls) => {
    const commentLines = new Set(ast.comments.flatMap((c) => range(c.loc.start.line - 1, c.loc.end.line)));
    ls.forEach((l, k) => l.length > WIDTH && commentLines.has(k) && stillLong.push(`${file}:${k + 1} (${l.length})`));
  };
  let ast = ast0;
  let from = 0;
  let n = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const edit = nextEdit(ast, lines, from);
    if (!edit) break;
    if (check) console.log(`${file}:${edit.start + 1}: comment over ${WIDTH} characters`);
    lines = [...lines.slice(0, edit.start), ...edit.replacement, ...lines.slice(edit.end)];
    from = edit.start + edit.replacement.length;
    n++;
    ast = parse(lines.join('\n'), file);
  }
  if (n === 0) {
    report(ast0, lines);
    continue;
  }
  const text = lines.join('\n');
  if (codeTokens(ast) !== codeTokens(ast0) || commentWords(ast) !== commentWords(ast0)) {
    console.error(`wrap-comments: ${file}: a rewrap would change code or comment words; left as is`);
    failed++;
    report(ast0, original.split('\n'));
    continue;
  }
  edits += n;
  changedFiles++;
  if (!check) writeFileSync(file, text);
  report(ast, lines);
}
if (!check && stillLong.length) {
  console.log(`wrap-comments: comment lines left over ${WIDTH} (preformatted text or one long word): edit by hand`);
  for (const s of stillLong) console.log(`  ${s}`);
}
console.log(`wrap-comments: ${edits} comment(s) in ${changedFiles} file(s) ${check ? 'need rewrapping' : 'rewrapped'}`);
process.exit(failed > 0 || (check && edits > 0) ? 1 : 0);
