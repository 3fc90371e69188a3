import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, mscope } from './mscope.js';

/** A private copy of the demo (an HTTP order service) so the store lands in a fresh directory. */
function demoCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-acct-'));
  cpSync(join(ROOT, 'examples/demo'), dir, { recursive: true, filter: (p) => !p.includes('node_modules') });
  return dir;
}

test('--acct records one activity per HTTP request, attributes body-handler work to it, and report reads the store', async () => {
  const dir = demoCopy();
  const r = await mscope(
    [
      'run',
      '--acct',
      '-e',
      'fs:appendFile:promise:op-done { @fs[activity != 0] = count(); } acct:::done { @n[args[0].token] = count(); }',
      '--',
      'node',
      'app.js',
    ],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\s+1\s+15$/m, 'every appendFile in a request handler ran under an activity');
  assert.match(r.stdout, /^\s+POST \/orders\s+24$/m);
  assert.match(r.stderr, /accounting: 24 activities recorded in mscope\.db/);
  assert.ok(existsSync(join(dir, 'mscope.db')));
  const rep = await mscope(['report', 'mscope.db'], dir);
  assert.equal(rep.status, 0, rep.stderr);
  assert.match(rep.stdout, /^TOKEN\s+COUNT\s+P50 ms\s+P95 ms\s+P99 ms$/m);
  assert.match(rep.stdout, /^POST \/orders\s+24\s/m);
});

test('a program that reads activity turns accounting on; --store none writes no file', async () => {
  const dir = demoCopy();
  const r = await mscope(
    ['run', '--store', 'none', '-e', 'http:server::request-done { @[activity != 0] = count(); }', '--', 'node', 'app.js'],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\s+1\s+24$/m);
  assert.ok(!existsSync(join(dir, 'mscope.db')));
});

test('bad accounting flags and a port in use are one line each, and CMD never starts', async () => {
  const dir = demoCopy();
  const bad = await mscope(['run', '--prom', 'eighty', '--', 'node', 'app.js'], dir);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'mscope run: --prom expects a port number, got "eighty"\n');
  const blocker = createServer();
  await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
  const port = (blocker.address() as { port: number }).port;
  try {
    const busy = await mscope(['run', '--store', 'none', '--prom', String(port), '--', 'node', 'app.js'], dir);
    assert.equal(busy.status, 2);
    assert.equal(busy.stderr, `mscope: cannot serve Prometheus on 127.0.0.1:${port}: EADDRINUSE\n`);
    assert.equal(busy.stdout, '');
  } finally {
    blocker.close();
  }
  const missing = await mscope(['report', 'nope.db'], dir);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'mscope report: no such file: nope.db\n');
});

test('exporters opened before CMD starts are closed when the run fails early, so mscope exits', async () => {
  const dir = demoCopy();
  const r = await mscope(['run', '-q', '--store', 'none', '--prom', '0', '-o', '/nonexistent-dir/out.txt', '--', 'node', 'app.js'], dir);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'mscope: cannot write /nonexistent-dir/out.txt: ENOENT\n');
});
