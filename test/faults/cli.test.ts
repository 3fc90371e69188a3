import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, ended, FIXTURES, mscope, spawnMscope, withoutNotices, withTempDir } from '../cli/mscope.js';

// Hostile conditions around mscope itself: closed pipes, full disks, bad files, dead collectors.
const dir = fileURLToPath(new URL('../fixtures/cli-faults/', import.meta.url));
// Quiet: these tests are about faults and signals, not DTrace's CPU ID FUNCTION:NAME lines.
const COUNT_ADD = '#pragma D option quiet\nfn::add:entry { @calls = count(); } END { printa("calls %@d\\n", @calls); }';

test('a reader that goes away (| head -1) ends mscope quietly and the program as a SIGPIPE would', { timeout: 30_000 }, async () => {
  const child = spawnMscope(['run', '-e', 'fn::add:entry { printf("add %d\\n", arg0); }', '--', 'node', 'forever.mjs'], dir);
  const done = collect(child);
  // Read one chunk, then close the pipe as `head -1` does.
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  child.stdout!.destroy();
  const r = await done;
  assert.equal(r.status, 141, r.stderr);
  const pid = Number(/^pid (\d+)$/m.exec(r.stderr)?.[1]);
  assert.ok(pid > 0, r.stderr);
  assert.ok(await ended(pid), 'the program was left running');
  assert.equal(withoutNotices(r.stderr), `pid ${pid}\n`);
});

test('-o on a full disk: one line on stderr, the aggregations still reach stdout, and the status says it failed', async () => {
  const r = await mscope(['run', '-o', '/dev/full', '-e', COUNT_ADD, '--', 'node', 'once.mjs'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, 'done\ncalls 1\n');
  assert.equal(withoutNotices(r.stderr), 'mscope: cannot write /dev/full: ENOSPC; the rest of the output goes to stdout\n');
});

for (const [store, why] of [
  ['/nonexistent/x.db', /ENOENT/],
  ['', /empty/],
  ['/dev/zero', /not a regular file/],
] as const) {
  test(`--store ${JSON.stringify(store)} is refused in one line before the program starts`, { timeout: 30_000 }, async () => {
    const r = await mscope(['run', '--acct', '--store', store, '--', 'node', 'once.mjs'], dir);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^mscope( run)?: [^\n]*store[^\n]*\n$/);
    assert.match(r.stderr, why);
  });
}

test('a script file that begins with a byte-order mark runs as without it', { timeout: 30_000 }, async () => {
  await withTempDir('mscope-bom-', async (tmp) => {
    const file = join(tmp, 'bom.d');
    writeFileSync(file, `\ufeff${COUNT_ADD}\n`);
    const r = await mscope(['run', '-s', file, '--', 'node', 'once.mjs'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'done\ncalls 1\n');
  });
});

test('-s of a device or of an oversized file is refused in one line', { timeout: 30_000 }, async () => {
  await withTempDir('mscope-faults-', async (tmp) => {
    const big = join(tmp, 'big.d');
    writeFileSync(big, `/* ${'x'.repeat(9 * 1024 * 1024)} */\nBEGIN { exit(0); }\n`);
    for (const [file, why] of [
      ['/dev/zero', /not a regular file/],
      [big, /larger than/],
    ] as const) {
      const r = await mscope(['run', '-s', file, '--', 'node', 'once.mjs'], dir);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^mscope: cannot read script [^\n]*\n$/);
      assert.match(r.stderr, why);
    }
  });
});

// Opening (-s) or importing (--monitor) a FIFO that nobody writes to waited forever, and
// importing /dev/zero read until memory ran out: each is now refused before it is read.
test('-s and --monitor of a FIFO, a device or a directory are refused in one line, never waited on', { timeout: 30_000 }, async () => {
  await withTempDir('mscope-fifo-', async (tmp) => {
    const fifo = join(tmp, 'pipe.mjs');
    execFileSync('mkfifo', [fifo]);
    for (const [option, file, line] of [
      ['-s', fifo, /^mscope: cannot read script \S+pipe\.mjs: not a regular file\n$/],
      ['--monitor', fifo, /^mscope: monitor \S+pipe\.mjs: not a regular file\n$/],
      ['--monitor', '/dev/zero', /^mscope: monitor \/dev\/zero: not a regular file\n$/],
      ['--monitor', tmp, /^mscope: monitor \S+: not a regular file\n$/],
    ] as const) {
      const r = await mscope(['run', option, file, '--', 'node', 'once.mjs'], dir);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '', 'the program did not run');
      assert.match(r.stderr, line);
    }
  });
});

test('a script larger than an environment variable may hold still reaches the agents', async () => {
  await withTempDir('mscope-faults-', async (tmp) => {
    const file = join(tmp, 'long.d');
    writeFileSync(file, `/* ${'x'.repeat(200 * 1024)} */\n${COUNT_ADD}\n`);
    const r = await mscope(['run', '-s', file, '--', 'node', 'once.mjs'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'done\ncalls 1\n');
  });
});

test(
  'an OTLP collector that never answers: the export times out, is reported in one line, the rest is kept',
  {
    timeout: 30_000,
  },
  async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const r = await mscope(['run', '--otlp', `http://127.0.0.1:${port}`, '--', 'node', join(FIXTURES, 'scripts', 'http.mjs')], dir, {
        OTEL_EXPORTER_OTLP_TIMEOUT: '300',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'http: 200 200 200 404\n');
      assert.match(r.stderr, /^mscope: accounting: 4 activities recorded\n/m);
      assert.match(r.stderr, /^mscope: OTLP export to http:\/\/127\.0\.0\.1:\d+ failed[^\n]*timed out[^\n]*\n/m);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  },
);

test('a program with no command whose probes match nothing says so and fails, as dtrace -n does', { timeout: 30_000 }, async () => {
  const r = await mscope(['run', '-e', 'fn:::entry { @c = count(); }'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /matched no probes/);
});

for (const binding of ['direct', 'shm', 'message']) {
  test(`runtime errors of a D clause go to stderr, never into the -f json output (${binding})`, async () => {
    const r = await mscope(
      ['run', '-b', binding, '-f', 'json', '-e', 'fn::add:entry { @calls = count(); x = 1 / (arg0 - 1); }', '--', 'node', 'once.mjs'],
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').filter((l) => l !== '' && l !== 'done');
    assert.ok(lines.length > 0, r.stdout);
    for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), `not JSON: ${l}`);
    assert.match(r.stderr, /divide-by-zero|division by zero/i);
  });
}
