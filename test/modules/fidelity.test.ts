import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, runFixture } from './run-fixture.js';

/** Programs run plainly and with every `fn` probe enabled must behave the same. */

const DIR = join(FIXTURES, 'fidelity');

function plain(file: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [file], { cwd: DIR, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * What Node prints for an uncaught error after its source line and caret, without the test
 * agent's report. The source line itself is the traced one (docs/CONFORMANCE.md).
 */
function uncaught(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '' && !l.startsWith('MSCOPE_RESULT '));
  return lines.slice(3).join('\n');
}

test('directive prologues without a semicolon (module and function) still load', () => {
  const r = runFixture(DIR, ['directives.mjs']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^directives 1 2$/m);
  assert.equal(r.counts['fn:directives-cjs.js:strict:entry'], 1);
  assert.equal(r.counts['fn:directives-lib.mjs:loose:return'], 1);
});

test('a promise returned by a non-async function is left alone: an unhandled rejection still exits 1', () => {
  assert.equal(plain('unhandled.js').status, 1);
  const r = runFixture(DIR, ['unhandled.js']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /nobody handles this/);
  assert.equal(r.counts['fn:unhandled.js:later:return'], 1);
});

test('return never calls program code: Promise subclasses and a patched then run as often as untraced', () => {
  assert.match(plain('promises.js').stdout, /^promises 1 1 3$/m);
  const r = runFixture(DIR, ['promises.js']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^promises 1 1 3$/m);
  assert.equal(r.counts['fn:promises.js:awaited:return'], 1);
  assert.equal(r.counts['fn:promises.js:counted:return'], 1);
});

test('Function.prototype.toString gives back the original text, and is indistinguishable from the native one', () => {
  const untraced = plain('tostring.js');
  assert.equal(untraced.status, 0, untraced.stderr);
  assert.match(untraced.stdout, /^revived 5 8$/m);
  const r = runFixture(DIR, ['tostring.js']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, untraced.stdout);
  assert.ok(r.probes.includes('tostring.js:add:entry'));
});

test('err.stack, Error.captureStackTrace and the uncaught error are what the program sees untraced', () => {
  const untraced = plain('stacks.js');
  assert.equal(untraced.status, 1);
  assert.match(untraced.stdout, /^deep at thrower \(F:3:9\) \| at deep \(F:52:12\) \| at deep \(F:54:10\)/m);
  for (const env of [{ MSCOPE_TEST_LATE: '1' }, {}] as Array<Record<string, string>>) {
    const r = runFixture(DIR, ['stacks.js'], env);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, untraced.stdout);
    assert.equal(uncaught(r.stderr), uncaught(untraced.stderr));
    assert.equal(r.counts['fn:stacks.js:deep:error'], env.MSCOPE_TEST_LATE === undefined ? 4 : undefined);
  }
});

/** Every frame here lies on a line the rewrite inserted into, before the frame's position. */
for (const file of ['columns.js', 'columns.mjs', 'prefixed.js']) {
  test(`columns on lines shared with inserted text are the untraced ones in err.stack (${file})`, () => {
    const untraced = plain(file);
    assert.match(untraced.stdout, /at oneLine \(F:4:34\)/);
    const modes: Array<Record<string, string>> = [{}, { MSCOPE_TEST_LATE: '1' }, { MSCOPE_TEST_EXITS: '0' }];
    for (const env of modes) {
      const r = runFixture(DIR, [file], env);
      assert.equal(r.status, untraced.status, r.stderr);
      assert.equal(r.stdout, untraced.stdout, JSON.stringify(env));
      assert.equal(uncaught(r.stderr), uncaught(untraced.stderr), JSON.stringify(env));
      if (env.MSCOPE_TEST_LATE === undefined) assert.ok((r.counts[`fn:${file}:oneLine:entry`] ?? 0) > 0);
    }
  });
}

test('a program that enables source maps (tsx) sees its TypeScript positions, traced or not', () => {
  const untraced = spawnSync(process.execPath, ['--import', 'tsx', 'maps.ts'], {
    cwd: DIR,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.equal(untraced.status, 0, untraced.stderr);
  assert.match(untraced.stdout, /^oneLine at oneLine \(F:3:66\)/m);
  const r = runFixture(DIR, ['maps.ts'], {}, ['--import', 'tsx']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, untraced.stdout);
  assert.equal(r.counts['fn:maps.ts:oneLine:entry'], 1);
});
