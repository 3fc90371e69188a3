// An HTTP server on 127.0.0.1 where every tenth request reads a large file, so that its slow
// band is fs time, driven by a client loop in the same process: run it under mscope run --acct,
// then look at it with mscope explore (test/ui/explorer.test.ts does both).
import http from 'node:http';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REQUESTS = Number(process.argv[2] ?? 100);
const big = join(tmpdir(), `mscope-explore-big-${process.pid}.bin`);
await writeFile(big, Buffer.alloc(16 * 1024 * 1024, 7));

let served = 0;
const server = http.createServer(async (req, res) => {
  const slow = ++served % 10 === 0;
  const body = slow ? String((await readFile(big)).length) : 'ok';
  res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
});

function get(port) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/item' }, (res) => {
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
await rm(big, { force: true });
console.log(`served ${served} requests`);
