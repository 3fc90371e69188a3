import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

const esm = join(FIXTURES, 'esm');
const fork = join(FIXTURES, 'fork');

test('list PATTERN prints the matching probes in dtrace -l columns', async () => {
  const r = await mscope(['list', 'fn:math.mjs::entry', '--', 'node', 'app.mjs'], esm);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => /^\s+(ID|\d+) /.test(l));
  assert.match(lines[0]!, /^\s+ID\s+PROVIDER\s+MODULE\s+FUNCTION NAME$/);
  const rows = lines.slice(1).map((l) => l.trim().split(/\s+/).slice(1));
  assert.deepEqual(rows, [
    ['fn', 'math.mjs', 'add', 'entry'],
    ['fn', 'math.mjs', 'slowDouble', 'entry'],
    ['fn', 'math.mjs', 'Counter.bump', 'entry'],
  ]);
});

test('probes of several processes are merged and deduplicated by name', async () => {
  const r = await mscope(['list', 'fn:math.mjs:add:', '--', 'node', 'parent.mjs'], fork);
  assert.equal(r.status, 0, r.stderr);
  const names = r.stdout
    .split('\n')
    .filter((l) => / fn /.test(l))
    .map((l) => l.trim().split(/\s+/).slice(1).join(':'));
  assert.deepEqual(names, ['fn:math.mjs:add:entry', 'fn:math.mjs:add:return', 'fn:math.mjs:add:error']);
});

test('a pattern that matches nothing is one line on stderr and status 1', async () => {
  const r = await mscope(['list', 'fn:nope::', '--', 'node', 'app.mjs'], esm);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'mscope: no probes match fn:nope::\n');
});

test('a malformed pattern is a usage error and CMD does not run', async () => {
  const r = await mscope(['list', 'a:b:c:d:e', '--', 'node', 'app.mjs'], esm);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^mscope list: probe description "a:b:c:d:e" has 5 fields/);
});

test('a command that starts no Node.js process is reported', async () => {
  const r = await mscope(['list', '--', 'true'], esm);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no Node\.js process started by the command reported back/);
});

test('--skipped lists what was not instrumented and why', async () => {
  const r = await mscope(['list', '--skipped', '--', 'node', 'uses-json.mjs'], join(FIXTURES, 'cjs'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^PROVIDER\s+MODULE\s+FUNCTION REASON$/m);
  assert.match(r.stdout, /^\s+fn\s+config\.json\s+\* JSON module: no JavaScript functions to instrument$/m);
  assert.match(r.stdout, /^\s+node\s+zlib\s+createGzip non-writable or non-configurable property$/m);
});

test('--modules narrows what is instrumented', async () => {
  const cjs = join(FIXTURES, 'cjs');
  const all = await mscope(['list', 'fn:math.cjs:add:entry', '--', 'node', 'app.cjs'], cjs);
  assert.equal(all.status, 0, all.stderr);
  const narrowed = await mscope(['list', 'fn:math.cjs:add:entry', '--modules', '!math.cjs', '--', 'node', 'app.cjs'], cjs);
  assert.equal(narrowed.status, 1);
  assert.equal(narrowed.stderr, 'mscope: no probes match fn:math.cjs:add:entry\n');
});

test('the dtrace provider is listed first with DTrace ids, and other ids come after it', async () => {
  const r = await mscope(['list', 'dtrace:::'], esm);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout
    .split('\n')
    .slice(1, -1)
    .map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows, [
    ['1', 'dtrace', 'BEGIN'],
    ['2', 'dtrace', 'END'],
    ['3', 'dtrace', 'ERROR'],
  ]);
  const all = await mscope(['list', 'fn:math.mjs:add:entry', '--', 'node', 'app.mjs'], esm);
  assert.match(all.stdout, /^\s+(\d+)\s+fn\s+math\.mjs\s+add entry$/m);
  assert.ok(Number(/^\s+(\d+)\s+fn/m.exec(all.stdout)![1]) > 3);
});
