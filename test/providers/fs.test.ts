import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as fsNamed from 'node:fs';
import * as fspNamed from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { capture } from './helpers.js';
import type { FsOp } from '../../src/providers/catalogue.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mscope-fs-'));
const file = path.join(dir, 'data.txt');
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const summary = (r: FsOp) => [r.op, r.form, r.path, r.bytes, r.error];

test('sync, callback and promise forms fire op-start and op-done with path, bytes and latency', async () => {
  const cap = capture<FsOp>('fs:*File::');
  fs.writeFileSync(file, 'hello');
  await new Promise<void>((resolve, reject) => fs.readFile(file, (e) => (e ? reject(e) : resolve())));
  await fs.promises.readFile(file, 'utf8');
  cap.unlink();
  const done = cap.records().filter((_, i) => cap.names()[i]!.endsWith('op-done'));
  assert.deepEqual(done.map(summary), [
    ['writeFile', 'sync', file, 5, ''],
    ['readFile', 'callback', file, 5, ''],
    ['readFile', 'promise', file, 5, ''],
  ]);
  assert.equal(cap.names().filter((n) => n.endsWith('op-start')).length, 3);
  for (const r of done) assert.ok(r.latency_ns > 0);
});

test('ESM named imports see the wrapper while enabled and the original after', async () => {
  const originalSync = fs.statSync;
  const originalPromise = fs.promises.stat;
  const cap = capture<FsOp>('fs:stat::op-done');
  assert.notEqual(fsNamed.statSync, originalSync);
  fsNamed.statSync(file);
  await fspNamed.stat(file);
  cap.unlink();
  assert.equal(fsNamed.statSync, originalSync);
  assert.equal(fs.statSync, originalSync);
  assert.equal(fs.promises.stat, originalPromise);
  assert.equal(fspNamed.stat, originalPromise);
  assert.deepEqual(
    cap.records().map((r) => [r.form, r.path]),
    [
      ['sync', file],
      ['promise', file],
    ],
  );
});

test('fd-based calls carry the fd and the bytes moved; nested sync calls fire once', () => {
  const cap = capture<FsOp>('fs:::op-done');
  const fd = fs.openSync(file, 'r');
  const n = fs.readSync(fd, Buffer.alloc(16), 0, 16, 0);
  fs.closeSync(fd);
  fs.readFileSync(file);
  cap.unlink();
  assert.equal(n, 5);
  assert.deepEqual(
    cap.records().map((r) => [r.op, r.fd === fd, r.bytes]),
    [
      ['open', true, 0],
      ['read', true, 5],
      ['close', true, 0],
      ['readFile', false, 5],
    ],
  );
});

test('errors carry their code and the error still reaches the caller', async () => {
  const cap = capture<FsOp>('fs:open::op-done');
  const missing = path.join(dir, 'missing');
  assert.throws(() => fs.openSync(missing, 'r'), { code: 'ENOENT' });
  await assert.rejects(fs.promises.open(missing, 'r'), { code: 'ENOENT' });
  await new Promise<void>((resolve) =>
    fs.open(missing, 'r', (e) => {
      assert.equal(e?.code, 'ENOENT');
      resolve();
    }),
  );
  cap.unlink();
  assert.deepEqual(
    cap.records().map((r) => [r.form, r.error, r.fd]),
    [
      ['sync', 'ENOENT', -1],
      ['promise', 'ENOENT', -1],
      ['callback', 'ENOENT', -1],
    ],
  );
});

test('only enabled operations are wrapped, and disabling restores every original', () => {
  const before = new Map<string, unknown>(Object.entries(fs).filter(([, v]) => typeof v === 'function'));
  const beforeP = new Map(Object.entries(fs.promises));
  const cap = capture('fs:read::');
  assert.notEqual(fs.readSync, before.get('readSync'));
  assert.equal(fs.writeSync, before.get('writeSync'), 'write is not wrapped');
  assert.equal(fs.readSync.name, 'readSync');
  assert.equal(fs.readSync.length, (before.get('readSync') as (...a: unknown[]) => unknown).length);
  const all = capture('fs:::');
  cap.unlink();
  all.unlink();
  for (const [k, v] of before) assert.equal((fs as unknown as Record<string, unknown>)[k], v, k);
  for (const [k, v] of beforeP) assert.equal((fs.promises as unknown as Record<string, unknown>)[k], v, k);
});

test('the opens inside readFile and writeFile fire only where Node calls the exported function (PROVIDERS.md table)', async () => {
  const cap = capture<FsOp>('fs:::op-start');
  const cb = (call: (done: (e: unknown) => void) => void) =>
    new Promise<void>((resolve, reject) => call((e) => (e ? reject(e) : resolve())));
  await cb((done) => fs.writeFile(file, 'ab', done));
  await cb((done) => fs.appendFile(file, 'c', done));
  await cb((done) => fs.readFile(file, done));
  await fs.promises.readFile(file);
  await fs.promises.writeFile(file, 'abc');
  fs.readFileSync(file, 'utf8');
  fs.readFileSync(file);
  fs.writeFileSync(file, Buffer.from('abc'));
  cap.unlink();
  // Node 26 writes a file in one C++ job unless `flush` is set.
  const inner = Number(process.versions.node.split('.')[0]) >= 26 ? [] : ['open callback', 'write callback', 'close callback'];
  assert.deepEqual(
    cap.records().map((r) => `${r.op} ${r.form}`),
    [
      ...['writeFile callback', ...inner],
      ...['appendFile callback', 'writeFile callback', ...inner],
      ...['readFile callback', 'readFile promise', 'writeFile promise'],
      ...['readFile sync', 'readFile sync', 'writeFile sync'],
    ],
  );
});

test("a write stream's buffered writes are seen as one writev, with every byte; FileHandle readv and writev too", async () => {
  const streamed = path.join(dir, 'streamed.txt');
  const cap = capture<FsOp>('fs:::op-done');
  await new Promise<void>((resolve, reject) => {
    const w = fs.createWriteStream(streamed);
    // Written before the file is open: the stream gathers them into one writev.
    for (let i = 0; i < 100; i++) w.write(`line ${i}\n`);
    w.on('error', reject);
    w.end(resolve);
  });
  const size = fs.statSync(streamed).size;
  const fh = await fs.promises.open(streamed, 'r+');
  const written = await fh.writev([Buffer.from('ab'), Buffer.from('cde')], 0);
  const read = await fh.readv([Buffer.alloc(4), Buffer.alloc(4)], 0);
  await fh.close();
  cap.unlink();
  assert.deepEqual([written.bytesWritten, read.bytesRead], [5, 8]);
  assert.deepEqual(
    cap
      .records()
      .filter((r) => r.op.endsWith('v'))
      .map((r) => [r.op, r.form, r.bytes, r.error]),
    [
      ['writev', 'callback', size, ''],
      ['writev', 'filehandle', 5, ''],
      ['readv', 'filehandle', 8, ''],
    ],
  );
});
