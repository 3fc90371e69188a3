// A small order service: an HTTP API on 127.0.0.1 that places orders (some fail) and logs
// receipts to a file, driven by a client loop in the same process. Run it under mscope demo.
import http from 'node:http';
import { appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSkus } from './lib/catalog.cjs';
import { OrderService } from './lib/orders.js';

const service = new OrderService();
const receipts = join(tmpdir(), `mscope-demo-receipts-${process.pid}.log`);

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    try {
      const placed = await service.placeOrder(JSON.parse(body));
      await appendFile(receipts, `${JSON.stringify(placed)}\n`);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(placed));
    } catch (error) {
      res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message }));
    }
  });
});

function post(port, order) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/orders' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(JSON.stringify(order));
  });
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const skus = listSkus();
const codes = [undefined, undefined, 'WELCOME10', 'HALFOFF', 'BOGUS'];
let ok = 0;
let failed = 0;
for (let i = 0; i < 24; i++) {
  const order = {
    customer: `customer-${i % 5}`,
    discount: codes[i % codes.length],
    lines: [
      { sku: skus[i % skus.length], quantity: 1 + (i % 3) },
      { sku: skus[(i + 1) % skus.length], quantity: 1 },
    ],
  };
  if ((await post(port, order)) === 201) ok++;
  else failed++;
}
server.close();
await rm(receipts, { force: true });
console.log(`order service: ${ok} orders placed, ${failed} failed, revenue ${(service.revenue() / 100).toFixed(2)}`);
