import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, PRELOAD, runFixture } from './run-fixture.js';

const APP = join(FIXTURES, 'app-ts');
const TSX_CLI = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
// Node strips types by default from 23.6 (and 22.18); older versions have no stripTypeScriptTypes.
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const nodeStrips = 'stripTypeScriptTypes' in nodeModule && (major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18));

function assertDbProbes(r: ReturnType<typeof runFixture>): void {
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /row 1 ada/);
  assert.equal(r.counts['fn:src/db.ts:query:entry'], 1);
  assert.equal(r.counts['fn:src/db.ts:query:return'], 1);
  assert.equal(r.counts['fn:src/db.ts:Db.insert:return'], 1);
}

test('node --import tsx --import <agent>: probes are named after the .ts file and stacks point at it', () => {
  const r = runFixture(APP, ['main.ts'], {}, ['--import', 'tsx']);
  assertDbProbes(r);
  assert.match(r.stdout, /where at whereAmI \(.*src\/db\.ts:21:10\)/);
});

test('tsx with CommonJS TypeScript (.cts)', () => {
  const r = runFixture(APP, ['cjs.cts'], {}, ['--import', 'tsx']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /legacy 2/);
  assert.equal(r.counts['fn:src/legacy.cts:legacy:return'], 1);
});

test('npx tsx app.ts with NODE_OPTIONS=--import <agent>: the agent puts tsx inside its hooks', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'mscope-test-'));
  const r = spawnSync(process.execPath, [TSX_CLI, 'main.ts'], {
    cwd: APP,
    env: { ...process.env, NODE_OPTIONS: `--import ${PRELOAD}`, MSCOPE_ROOT: APP, MSCOPE_CACHE_DIR: cacheDir },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  // The tsx CLI's parent process reports too; the child that ran main.ts is the one with probes.
  const results = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('MSCOPE_RESULT '))
    .map((l) => JSON.parse(l.slice(14)));
  const child = results.find((x) => x.counts['fn:src/db.ts:query:entry'] === 1);
  assert.ok(child !== undefined, r.stderr);
  assert.deepEqual(child.skipped, []);
});

test("Node's own type stripping (ESM and CommonJS)", { skip: nodeStrips ? false : 'this Node does not strip types by default' }, () => {
  assertDbProbes(runFixture(APP, ['main.ts']));
  const r = runFixture(APP, ['cjs.cts']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.counts['fn:src/legacy.cts:legacy:entry'], 1);
  assert.doesNotMatch(r.stderr, /stripTypeScriptTypes/);
});
