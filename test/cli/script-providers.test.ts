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
