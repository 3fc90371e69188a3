// An HTTP server on 127.0.0.1 where every tenth request waits about 50 ms on an fs read, so
// that its slow band is fs time, driven by a client loop in the same process: run it under
// mscope run --acct, then look at it with mscope explore (test/ui/explorer.test.ts does both).
//
// The read is of a FIFO, which blocks in the kernel until the client writes a byte: the wait
// is fs time and nothing else. Reading a large file instead would also be CPU time (the
// threadpool's copying) wherever the CPU clock is the whole process's, as on Node 20.
import http from 'node:http';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REQUESTS = Number(process.argv[2] ?? 100);
// Well over what the CPU clock can charge a request by chance: on Node 20 it counts every thread
// of the process, and a loaded machine charged fast requests up to 18 ms.
const WAIT_MS = 50;
const dir = mkdtempSync(join(tmpdir(), 'mscope-explore-'));
const fifoPath = join(dir, 'fifo');
execFileSync('mkfifo', [fifoPath]);
// Read and write ends in one descriptor: opening a FIFO read-write does not wait for a peer (Linux).
const fifo = fs.openSync(fifoPath, 'r+');

function readByte() {
  return new Promise((resolve, reject) =>
    fs.read(fifo, Buffer.alloc(1), 0, 1, null, (err, n) => (err === null ? resolve(n) : reject(err))),
  );
}

let served = 0;
const server = http.createServer(async (req, res) => {
  const slow = ++served % 10 === 0;
  if (!slow) return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  // The read starts before the client can know of it, so it waits at least WAIT_MS.
  const read = readByte();
  res.writeHead(200, { 'content-type': 'text/plain', 'x-waits-on': 'fifo' }).flushHeaders();
  res.end(String(await read));
});

/** One request; the client, outside every request's activity, feeds the FIFO WAIT_MS after a waiting response's head arrives. */
function get(port) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/item' }, (res) => {
        if (res.headers['x-waits-on'] === 'fifo')
          setTimeout(() => fs.write(fifo, 'x', (err) => (err === null ? undefined : reject(err))), WAIT_MS);
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
for (let i = 0; i < REQUESTS; i++) await get(port);
server.close();
fs.closeSync(fifo);
rmSync(dir, { recursive: true, force: true });
console.log(`served ${served} requests`);
