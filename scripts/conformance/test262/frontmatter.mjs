// Reads the `/*--- ... ---*/` YAML block of a test262 test: only the keys INTERPRETING.md gives meaning.

/** @returns {{ includes: string[], flags: string[], features: string[], negative: { phase: string, type: string } | null }} */
export function parseFrontmatter(source) {
  const start = source.indexOf('/*---');
  const end = source.indexOf('---*/', start);
  const meta = { includes: [], flags: [], features: [], negative: null };
  if (start < 0 || end < 0) return meta;
  const lines = source.slice(start + 5, end).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\w+):\s*(.*)$/.exec(lines[i]);
    if (m === null) continue;
    const [, key, rest] = m;
    if (key === 'includes' || key === 'flags' || key === 'features') meta[key] = readList(rest, lines, i);
    else if (key === 'negative') meta.negative = readNegative(lines, i);
  }
  return meta;
}

/** `[a, b]` on the line, or a block of `  - a` lines below it. */
function readList(rest, lines, i) {
  const inline = /^\[(.*)\]/.exec(rest.trim());
  if (inline !== null)
    return inline[1]
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const out = [];
  for (let j = i + 1; j < lines.length; j++) {
    const item = /^\s+-\s*(\S+)/.exec(lines[j]);
    if (item === null) break;
    out.push(item[1]);
  }
  return out;
}

function readNegative(lines, i) {
  const neg = { phase: '', type: '' };
  for (let j = i + 1; j < lines.length; j++) {
    const kv = /^\s+(phase|type):\s*(\S+)/.exec(lines[j]);
    if (kv === null) break;
    neg[kv[1]] = kv[2];
  }
  return neg;
}

/** The runs INTERPRETING.md asks for: `module`, `raw`, or non-strict and/or strict global code. */
export function runsOf(meta) {
  const f = new Set(meta.flags);
  if (f.has('module')) return ['module'];
  if (f.has('raw')) return ['raw'];
  if (f.has('onlyStrict')) return ['strict'];
  if (f.has('noStrict')) return ['sloppy'];
  return ['sloppy', 'strict'];
}
