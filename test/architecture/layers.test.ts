import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * The one layer rule (docs/ARCHITECTURE.md): a folder imports only the folders listed for it,
 * all of them earlier in this table, so the graph has no cycle. The flow probe site ->
 * binding -> monitor -> aggregation -> output, from the bottom up; lang compiles and links nothing.
 */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: [],
  stats: [],
  aggregate: ['core'],
  weaver: ['core'],
  modules: ['core'],
  providers: ['core'],
  accounting: ['core', 'stats', 'weaver', 'providers'],
  lang: ['core', 'aggregate', 'providers'],
  export: ['core', 'stats', 'accounting'],
  agent: ['core', 'stats', 'aggregate', 'weaver', 'modules', 'providers', 'accounting', 'lang', 'export'],
  consumer: ['core', 'stats', 'aggregate', 'weaver', 'modules', 'providers', 'accounting', 'lang', 'export', 'agent'],
  attach: ['core', 'stats', 'aggregate', 'weaver', 'modules', 'providers', 'accounting', 'lang', 'export', 'agent', 'consumer'],
  ui: ['core', 'stats', 'aggregate', 'weaver', 'modules', 'providers', 'accounting', 'lang', 'export', 'agent', 'consumer', 'attach'],
  cli: [
    'core',
    'stats',
    'aggregate',
    'weaver',
    'modules',
    'providers',
    'accounting',
    'lang',
    'export',
    'agent',
    'consumer',
    'attach',
    'ui',
  ],
};

/** Entry points compose layers and may import any folder; each says why it is one. */
export const ENTRIES: Readonly<Record<string, string>> = {
  'index.ts': 'the public surface',
  'lang-entry.ts': 'the microscope/lang export',
  'export-entry.ts': 'the microscope/export export',
  'agent/register.ts': 'the preload: the agent under mscope, else the standalone consumer',
  'agent/register-require.cts': 'the preload for --require, as agent/register.ts',
};

export interface Violation {
  file: string;
  line: number;
  target: string;
  rule: string;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(c|m)?ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const folderOf = (rel: string): string | null => (rel.includes(sep) ? rel.split(sep)[0]! : null);

/** Every relative import in `files` (paths under src) that breaks the rule. */
export function violations(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [rel, text] of files) {
    if (ENTRIES[rel.split(sep).join('/')] !== undefined) continue;
    const from = folderOf(rel);
    if (from === null) {
      out.push({ file: rel, line: 1, target: '', rule: 'a file at the top of src/ must be listed as an entry point' });
      continue;
    }
    const allowed = MAY_IMPORT[from];
    text.split('\n').forEach((src, i) => {
      for (const m of src.matchAll(IMPORT)) {
        const target = relative(SRC, resolve(dirname(join(SRC, rel)), m[1]!));
        // Paths outside src/ (package.json, dist/, examples/) and src/ itself are files, not layers.
        if (target === '' || target.startsWith('..')) continue;
        const to = folderOf(target);
        if (to === from) continue;
        const where = { file: rel, line: i + 1, target };
        if (allowed === undefined) out.push({ ...where, rule: `folder ${from} is not in the layer table` });
        else if (to === null) out.push({ ...where, rule: `${from} imports an entry point` });
        else if (!allowed.includes(to)) out.push({ ...where, rule: `${from} may not import ${to}` });
      }
    });
  }
  return out;
}

function tree(): Map<string, string> {
  return new Map(sources(SRC).map((f) => [relative(SRC, f), readFileSync(f, 'utf8')]));
}

test('the layer table lists only earlier folders, so it has no cycle', () => {
  const seen: string[] = [];
  for (const [folder, deps] of Object.entries(MAY_IMPORT)) {
    for (const d of deps) assert.ok(seen.includes(d), `${folder} may import ${d}, which comes later`);
    seen.push(folder);
  }
});

test('every import in src/ follows the layer rule', () => {
  const found = violations(tree());
  assert.deepEqual(
    found.map((v) => `${v.file}:${v.line}: ${v.target}: ${v.rule}`),
    [],
  );
});

test('the rule catches an import upward, sideways, into an entry point, and from a new folder', () => {
  const files = tree();
  files.set(join('lang', 'planted.ts'), "import { link } from '../weaver/index.js';");
  files.set(join('weaver', 'planted.ts'), "const m = await import('../modules/install.js');");
  files.set(join('core', 'planted.ts'), "const w = new URL('../agent/start.js', import.meta.url);\nimport x from '../index.js';");
  files.set(join('newfolder', 'x.ts'), "import { registry } from '../core/index.js';");
  files.set('stray.ts', '');
  const rules = violations(files)
    .filter((v) => v.file.includes('planted') || v.file.includes('newfolder') || v.file === 'stray.ts')
    .map((v) => `${v.file}:${v.line}: ${v.rule}`);
  assert.deepEqual(
    rules.sort(),
    [
      `${join('core', 'planted.ts')}:1: core may not import agent`,
      `${join('core', 'planted.ts')}:2: core imports an entry point`,
      `${join('lang', 'planted.ts')}:1: lang may not import weaver`,
      `${join('newfolder', 'x.ts')}:1: folder newfolder is not in the layer table`,
      'stray.ts:1: a file at the top of src/ must be listed as an entry point',
      `${join('weaver', 'planted.ts')}:1: weaver may not import modules`,
    ].sort(),
  );
});
