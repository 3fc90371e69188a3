// A small order service: places a batch of orders, some of which fail, then reports.
import { listSkus } from './lib/catalog.cjs';
import { OrderService } from './lib/orders.js';

const service = new OrderService();
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
  try {
    await service.placeOrder(order);
    ok++;
  } catch {
    failed++;
  }
}
console.log(`order service: ${ok} orders placed, ${failed} failed, revenue ${(service.revenue() / 100).toFixed(2)}`);
