import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runFixture } from './run-fixture.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
const TAPE = `${NODE_MODULES}tape/bin/tape`;

const failingLines = (stdout: string): string[] => stdout.match(/^not ok.*\n(?: +---\n(?: .*\n)*? +\.\.\.\n)?/gm) ?? [];
const failingNames = (stdout: string): string[] => failingLines(stdout).map((l) => l.split('\n')[0]!.replace(/^not ok \d+ /, ''));

/**
 * Runs a package's own tape suite in place, root = the package, with every fn probe of
 * the package enabled and counting; its test files are excluded from instrumentation.
 * The suite must pass, or fail exactly as it does untraced on this machine (a package's own
 * suite may depend on the machine; the promise is only that tracing changes nothing).
 */
function suite(pkg: string, files: string[]): { pass: number; total: number; counts: Record<string, number> } {
  const cwd = `${NODE_MODULES}${pkg}`;
  const r = runFixture(cwd, [TAPE, ...files], { MSCOPE_TEST_MODULES: '!test/*' });
  // The preload's result line (counts of every probe) would fill the report: what the program said is kept.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => !l.startsWith('MSCOPE_RESULT '))
    .join('\n');
  const said = `${pkg} suite, exit ${r.status}:\n${failingLines(r.stdout).slice(0, 10).join('')}\n── stdout:\n${r.stdout.slice(-3000)}\n── stderr:\n${stderr.slice(-3000)}`;
  if (r.status !== 0 || /^not ok/m.test(r.stdout)) {
    const plain = spawnSync(process.execPath, [TAPE, ...files], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.ok(plain.status !== 0, `only the traced run failed: ${said}`);
    assert.deepEqual(failingNames(r.stdout), failingNames(plain.stdout), said);
    // Passed, but said: the package's own suite fails on this machine whether traced or not.
    process.stderr.write(
      `${pkg}: its own suite fails here untraced too, the same tests traced: ${failingNames(plain.stdout).join('; ')}\n`,
    );
  } else {
    assert.match(r.stdout, /^# ok$/m, said);
  }
  const pass = Number(/^# pass\s+(\d+)/m.exec(r.stdout)?.[1] ?? 0);
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  return { pass, total, counts: r.counts };
}

test('qs: its own test suite passes unchanged with every fn probe enabled', () => {
  const r = suite('qs', ['test/*.js']);
  assert.ok(r.pass > 1000, `pass ${r.pass}`);
  assert.ok(r.total > 0);
  assert.ok(r.counts['fn:lib/utils.js:merge:entry']! > 0);
  assert.ok(r.counts['fn:lib/stringify.js:default:entry']! > 0);
});

test('minimist: its own test suite passes unchanged with every fn probe enabled', () => {
  const r = suite('minimist', ['test/*.js']);
  assert.ok(r.pass > 100, `pass ${r.pass}`);
  assert.ok(r.counts['fn:index.js:default:entry']! > 0);
});

// The rest of resolve's suite needs its own devDependencies (mkdirp, tmp, tap…) or a git checkout;
// `npm run conformance` runs the same list.
const RESOLVE_TESTS = JSON.parse(
  readFileSync(new URL('../../scripts/conformance/resolve-tests.json', import.meta.url), 'utf8'),
) as string[];

test('resolve: its own tests pass unchanged with every fn probe enabled', () => {
  const r = suite(
    'resolve',
    RESOLVE_TESTS.map((t) => `test/${t}.js`),
  );
  assert.ok(r.pass > 50, `pass ${r.pass}`);
  assert.ok(Object.keys(r.counts).some((k) => k.startsWith('fn:lib/sync.js:')));
  assert.ok(Object.keys(r.counts).some((k) => k.startsWith('fn:lib/async.js:')));
});
