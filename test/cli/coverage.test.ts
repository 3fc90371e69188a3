import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope, withoutNotices } from './mscope.js';

// A process that collects V8 coverage (NODE_V8_COVERAGE: c8, node --test's coverage) reports
// byte offsets into its files, which tools map onto the files on disk: the rewrite would move
// them, so such a process is not rewritten.
const dir = join(FIXTURES, 'v8-coverage');
const NOTICE =
  'mscope: processes collecting V8 coverage (NODE_V8_COVERAGE, --experimental-test-coverage) are not rewritten, so that their coverage stays true: fn probes do not fire in them';

interface ScriptCoverage {
  url: string;
  functions: unknown[];
}

/** lib.mjs's coverage, as V8 wrote it for the process that ran lib.test.mjs. */
function libCoverage(coverageDir: string): ScriptCoverage {
  for (const name of readdirSync(coverageDir)) {
    const { result } = JSON.parse(readFileSync(join(coverageDir, name), 'utf8')) as { result: ScriptCoverage[] };
    const lib = result.find((s) => s.url.endsWith('/v8-coverage/lib.mjs'));
    if (lib !== undefined) return lib;
  }
  assert.fail(`no coverage of lib.mjs in ${coverageDir}`);
}

test("NODE_V8_COVERAGE: the program's coverage has the offsets of an untraced run, and one line says why fn probes do not fire", async () => {
  const plainDir = mkdtempSync(join(tmpdir(), 'mscope-cov-plain-'));
  const plain = spawnSync('node', ['lib.test.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: plainDir } });
  assert.equal(plain.status, 0, plain.stderr);
  const tracedDir = mkdtempSync(join(tmpdir(), 'mscope-cov-traced-'));
  const r = await mscope(['run', '-q', '-e', 'fn:::entry { @ = count(); }', '--', 'node', 'lib.test.mjs'], dir, {
    NODE_V8_COVERAGE: tracedDir,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(libCoverage(tracedDir).functions, libCoverage(plainDir).functions);
  const notices = withoutNotices(r.stderr)
    .split('\n')
    .filter((l) => l.startsWith('mscope: '));
  assert.deepEqual(notices, [NOTICE]);
});

test('node --test --experimental-test-coverage: its processes say so once, however many run', async () => {
  const r = await mscope(
    [
      'run',
      '-q',
      '-e',
      'fn:::entry { @ = count(); }',
      '--',
      'node',
      '--test',
      '--experimental-test-coverage',
      'lib.test.mjs',
      'other.test.mjs',
    ],
    dir,
  );
  assert.match(r.stdout, /^\S+ pass 2$/m);
  const notices = withoutNotices(r.stderr)
    .split('\n')
    .filter((l) => l.startsWith('mscope: '));
  assert.deepEqual(notices, [NOTICE]);
});
