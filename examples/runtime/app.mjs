// Exercises the runtime providers once each: HTTP and TCP on 127.0.0.1, files, DNS, timers,
// a blocked event loop, garbage collection, a child process, a user probe and a channel.
import http from 'node:http';
import dc from 'node:diagnostics_channel';
import { lookup } from 'node:dns/promises';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe } from 'microscope';

const queryStart = probe('shop', 'query-start');
const orders = dc.channel('shop:orders');

const server = http.createServer(async (req, res) => {
  if (queryStart.enabled) queryStart.fire({ sql: 'select * from orders', table: 'orders' });
  orders.publish({ url: req.url });
  const body = await readFile(new URL(import.meta.url));
  res.end(`${req.url} ${body.length}\n`);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
for (const path of ['/a', '/b', '/a', '/missing']) {
  const res = await fetchText(`http://127.0.0.1:${port}${path}`);
  if (!res.startsWith(path)) throw new Error('unexpected reply');
}
server.close();

await lookup('localhost');
const file = join(tmpdir(), `mscope-runtime-${process.pid}.txt`);
await writeFile(file, 'x'.repeat(4096));
await rm(file);

const until = Date.now() + 120;
while (Date.now() < until); // block the event loop for a moment
let garbage = [];
for (let i = 0; i < 200_000; i++) garbage.push({ i, s: `item ${i}` });
garbage = null;
await new Promise((r) => setTimeout(r, 20));
await new Promise((r, j) => execFile(process.execPath, ['-e', '0'], (e) => (e ? j(e) : r())));
console.log('runtime tour done');

function fetchText(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let s = '';
        res
          .setEncoding('utf8')
          .on('data', (d) => (s += d))
          .on('end', () => resolve(s));
      })
      .on('error', reject);
  });
}
