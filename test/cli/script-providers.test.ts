import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

// Runtime providers' records (`args[0]`, src/providers/catalogue.ts) read by D programs.
const dir = join(FIXTURES, 'scripts');

/** DTrace's layout for two string keys and a value: `  %-50s` per key, then ` %16lld`. */
function row2(a: string, b: string, value: number): string {
  return `  ${a.padEnd(50)}  ${b.padEnd(50)} ${String(value).padStart(16)}`;
}

test('http:::request-done: a real server and client on 127.0.0.1, counted by method and status', async () => {
  const program = 'http:::request-done { @[args[0].method, args[0].status] = count(); }';
  const r = await mscope(['run', '-e', program, '--', 'node', 'http.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^http: 200 200 200 404$/m);
  // Each request fires once on the server side and once on the client side.
  const rows = [...r.stdout.matchAll(/^ {2}(\S+) +(\d+) +(\d+)$/gm)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
  assert.deepEqual(rows, [
    ['POST', 404, 2],
    ['GET', 200, 6],
  ]);
});

test('http probes split by module: server and client each see every request', async () => {
  const program = 'http:::request-done /args[0].latency_ns > 0/ { @[probemod, args[0].method] = count(); }';
  const r = await mscope(['run', '-e', program, '--', 'node', 'http.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  const table = r.stdout.slice(r.stdout.indexOf('\n\n') + 2);
  assert.equal(
    table,
    [row2('client', 'POST', 1), row2('server', 'POST', 1), row2('client', 'GET', 3), row2('server', 'GET', 3), ''].join('\n'),
  );
});

test('http:client:: sees fetch() as it sees node:http: by method, status and error', async () => {
  const program = 'http:client::request-done { @[args[0].method, args[0].error] = count(); @s[args[0].status] = count(); }';
  const r = await mscope(['run', '-e', program, '--', 'node', 'fetch.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^fetch: 200 200 404 ECONNREFUSED$/m);
  const byMethod = [...r.stdout.matchAll(/^ {2}([A-Z]+) +(\S*) +(\d+)$/gm)].map((m) => [m[1], m[2], Number(m[3])]);
  assert.deepEqual(
    byMethod.sort((a, b) => String(a).localeCompare(String(b))),
    [
      ['GET', '', 2],
      ['GET', 'ECONNREFUSED', 1],
      ['PUT', '', 1],
    ],
  );
  const byStatus = [...r.stdout.matchAll(/^ +(\d+) +(\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(byStatus, [
    [0, 1],
    [404, 1],
    [200, 2],
  ]);
});

test('fs:::op-done: bytes summed per operation', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-fs-'));
  try {
    // `write` is checked by the next test; Node 24 resolves the entry point with a public
    // fs.realpathSync, a real but version-dependent operation of the runtime's, left out here.
    const program = 'fs:::op-done /probemod != "write" && probemod != "realpath"/ { @[probemod] = sum(args[0].bytes); }';
    const r = await mscope(['run', '-e', program, '--', 'node', 'fs.mjs', tmp], dir);
    assert.equal(r.status, 0, r.stderr);
    const rows = [...r.stdout.matchAll(/^ {2}(\S+) +(\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(rows, [
      ['appendFile', 5],
      ['writeFile', 10],
      ['readFile', 20],
    ]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("fs:::op-done sees only the program's own I/O, not the agent's", async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-fs-'));
  try {
    // With stdout a file, console.log writes through fs.writeSync: `fs: 20\n`, 7 bytes.
    const cmd = `node fs.mjs ${JSON.stringify(tmp)} > ${JSON.stringify(join(tmp, 'out.txt'))}`;
    const r = await mscope(['run', '-e', 'fs:write::op-done { @ = sum(args[0].bytes); }', '--', 'sh', '-c', cmd], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `\n${'7'.padStart(17)}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('fs sees FileHandle methods, with the handle fd, and not the handles readFile opens for itself', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-fs-'));
  try {
    const program =
      'fs:::op-done /args[0].form == "filehandle" || args[0].form == "promise"/ { printf("%s %s %d %d\\n", probemod, probefunc, args[0].fd > 2, args[0].bytes); }';
    const r = await mscope(['run', '-q', '-e', program, '--', 'node', 'filehandle.mjs', tmp], dir);
    assert.equal(r.status, 0, r.stderr);
    // The program's own line and the agent's output are two writers: compare the traced lines.
    assert.match(r.stdout, /^filehandle done$/m);
    assert.equal(
      r.stdout.replace('filehandle done\n', ''),
      [
        'open promise 1 0',
        'write filehandle 1 5',
        'writeFile filehandle 1 6',
        'appendFile filehandle 1 2',
        'read filehandle 1 13',
        'fstat filehandle 1 0',
        'ftruncate filehandle 1 0',
        'fsync filehandle 1 0',
        'close filehandle 1 0',
        'open promise 1 0',
        'readFile filehandle 1 5',
        'close filehandle 1 0',
        'readFile promise 0 5',
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
