import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadMonitorFile } from '../../src/agent/monitor-file.js';
import { compileMonitorFile } from '../../src/consumer/monitor-compile.js';
import { FIXTURES, ROOT, mscope } from './mscope.js';

// Issue 10: mscope compiles a TypeScript monitor once, and traced processes import plain JavaScript.
const MONITOR = join(FIXTURES, 'monitors', 'compiled', 'with-helper.ts');
const HELPER = join(FIXTURES, 'monitors', 'compiled', 'helpers', 'where.ts');

async function compiled(): Promise<{ file: string; mod: Record<string, unknown> }> {
  const file = await compileMonitorFile(MONITOR, 'with-helper.ts', mkdtempSync(join(tmpdir(), 'mscope-compile-')), 0);
  return { file, mod: (await import(pathToFileURL(file).href)) as Record<string, unknown> };
}

test('a relative import is bundled; a package import is the copy the package resolves to', async () => {
  const { file, mod } = await compiled();
  const text = readFileSync(file, 'utf8');
  assert.doesNotMatch(text, /^import .*where/m);
  assert.match(text, /^function fail\(message\)/m);
  const lib = (await import(pathToFileURL(join(ROOT, 'lib', 'index.js')).href)) as Record<string, unknown>;
  assert.equal(mod.packageDefineMonitor, lib.defineMonitor, 'the monitor got a bundled copy of microscope');
});

test("a monitor outside any project that installed microscope gets mscope's own copy, its agent's", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-compile-'));
  const monitor = join(dir, 'lone.ts');
  writeFileSync(monitor, "import { defineMonitor } from 'microscope';\nexport const own: unknown = defineMonitor;\n");
  const file = await compileMonitorFile(monitor, 'lone.ts', dir, 0);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const lib = (await import(pathToFileURL(join(ROOT, 'lib', 'index.js')).href)) as Record<string, unknown>;
  assert.equal(mod.own, lib.defineMonitor);
});

test("a name tsconfig's paths map to a TypeScript file is bundled like a relative import", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-compile-'));
  const file = await compileMonitorFile(join(FIXTURES, 'monitors', 'compiled', 'aliased.ts'), 'aliased.ts', dir, 0);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  assert.deepEqual(mod.helperWhere, [pathToFileURL(HELPER).href, HELPER, dirname(HELPER)]);
});

test('a monitor written for CommonJS can require() a builtin and a package', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-compile-'));
  const file = await compileMonitorFile(join(FIXTURES, 'monitors', 'compiled', 'commonjs-require.ts'), 'commonjs-require.ts', dir, 0);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  assert.deepEqual(mod.required, ['function', 'function']);
});

test("each file's import.meta.url, filename and dirname name its original file", async () => {
  const { mod } = await compiled();
  assert.deepEqual(mod.where, [pathToFileURL(MONITOR).href, MONITOR, dirname(MONITOR)]);
  assert.deepEqual(mod.helperWhere, [pathToFileURL(HELPER).href, HELPER, dirname(HELPER)]);
});

test("a loaded monitor's stack names its TypeScript files and lines", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-compile-'));
  // The runner turns source maps on (--enable-source-maps); a program does not.
  const before = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  const m = await loadMonitorFile(await compileMonitorFile(MONITOR, 'with-helper.ts', dir, 0), 'with-helper.ts');
  const out = { write: () => {}, exit: () => {} };
  assert.throws(
    () => m.links[0]!.handler(undefined as never, out),
    (e: Error) => {
      const frames = e.stack!.split('\n');
      assert.match(frames[1]!, new RegExp(`at fail \\(${HELPER.replace(/[.\\/]/g, '\\$&')}:4:9\\)`), e.stack);
      assert.match(frames[2]!, new RegExp(`${MONITOR.replace(/[.\\/]/g, '\\$&')}:12:3\\)`), e.stack);
      return true;
    },
  );
  m.unload();
  assert.equal(process.sourceMapsEnabled, false, 'unload leaves source maps as it found them');
  process.setSourceMapsEnabled(before);
});

test('mscope run: the compiled monitor is private to the session, which removes it; the traced process loads no tsx or esbuild', async () => {
  const r = await mscope(
    ['run', '-q', '--monitor', '../monitors/compiled/session-files.ts', '--', 'node', 'app.mjs'],
    join(FIXTURES, 'esm'),
  );
  assert.equal(r.status, 0, r.stderr);
  const m = /^session (\S+) 700\nmonitor-0\.mjs 600\ntsx or esbuild loaded: 0\n/m.exec(r.stdout);
  assert.ok(m !== null, r.stdout);
  assert.equal(existsSync(m[1]!), false, 'the session directory outlived mscope');
});
