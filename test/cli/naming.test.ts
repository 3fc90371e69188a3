import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

const dir = join(FIXTURES, 'ts-names');

/** `[module, function, name]` of each probe row `mscope list` printed. */
function probeRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => /^\s+\d+\s+fn\s/.test(l))
    .map((l) => l.trim().split(/\s+/).slice(2));
}

/** `[module, function, reason]` of each row `mscope list --skipped` printed. */
function skippedRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => /^\s+fn\s/.test(l))
    .map((l) => {
      const [, module, func, reason] = /^\s+fn\s+(\S+)\s+(\S+) (.*)$/.exec(l)!;
      return [module!, func!, reason!];
    });
}

test('tsx: const arrow functions are probes under their own names, in CommonJS and ESM alike', async () => {
  for (const [main, lib] of [
    ['main.ts', 'lib.ts'],
    ['main.mts', 'lib.mts'],
  ]) {
    const r = await mscope(['list', 'fn:lib*::entry', '--', 'node', '--import', 'tsx', main!], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(probeRows(r.stdout), [
      [lib!, 'helper', 'entry'],
      [lib!, 'twice', 'entry'],
    ]);
  }
});

test("tsx as CommonJS: fn::helper fires on the user's function, never on esbuild's export getter", async () => {
  const r = await mscope(
    ['run', '-q', '-e', 'fn:lib.ts:helper:return { @[retval] = count(); }', '--', 'node', '--import', 'tsx', 'main.ts'],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^main: 3 1 2$/m);
  const keys = r.stdout
    .split('\n')
    .filter((l) => /^\s+\S+\s+\d+$/.test(l))
    .map((l) => l.trim().split(/\s+/));
  assert.deepEqual(keys.sort(), [
    ['1', '1'],
    ['2', '1'],
    ['3', '1'],
  ]);
});

test('list --skipped says why each function or file was not instrumented, one reason each', async () => {
  const r = await mscope(['list', '--skipped', 'fn:*.ts::', '--modules', '!main.ts', '--', 'node', '--import', 'tsx', 'main.ts'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(skippedRows(r.stdout).sort(), [
    ['lib.ts', '(anonymous)', '1 function without a name (a callback or IIFE): give it one to probe it'],
    ['lib.ts', 'Box.size', 'getter: accessors are not probe sites'],
    ['main.ts', '*', 'excluded by --modules !main.ts'],
  ]);
});

test('application files outside the working directory are probes: ../ within one top directory, else absolute', async (t) => {
  const app = join(FIXTURES, 'outside', 'app');
  const farDir = mkdtempSync(join(tmpdir(), 'mscope-far-'));
  if (topDirectory(farDir) === topDirectory(app)) return t.skip('the temporary directory shares a top directory with the repository');
  const far = join(farDir, 'far.cjs');
  writeFileSync(far, 'exports.far = function far() {\n  return "far";\n};\n');
  const r = await mscope(['run', '-q', '-e', 'fn:::entry { @[probemod, probefunc] = count(); }', '--', 'node', 'main.cjs', far], app);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^main: 3 far$/m);
  const rows = r.stdout
    .split('\n')
    .filter((l) => /\s\d+$/.test(l))
    .map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows.sort(), [
    ['../lib/math.cjs', 'add', '1'],
    [far.split(sep).join('/'), 'far', '1'],
  ]);
});

function topDirectory(p: string): string {
  return p.split(sep).slice(0, 2).join(sep);
}

// A probe description named a function only in ASCII: `fn::café:entry` stopped at `é` (D1003).
test('a description names a function by a name past ASCII, as the program spells it', async () => {
  const names = ['café', '名前', 'f\u{1d453}'];
  const program = names.map((n) => `fn::${n}:entry { @[probefunc] = count(); }`).join('\n');
  const r = await mscope(['run', '-q', '-e', program, '--', 'node', 'names.cjs'], join(FIXTURES, 'unicode'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n')[0], '2 4 3');
  for (const n of names) assert.match(r.stdout, new RegExp(`^\\s+${n}\\s+1$`, 'mu'));
});
