import { setTimeout as sleep } from 'node:timers/promises';

const stock = new Map([
  ['book-ts', 30],
  ['mug-node', 12],
  ['shirt-v8', 8],
  ['sticker-d', 100],
]);

/** Asynchronous like a call to a stock service; fails when stock runs out. */
export async function reserve(sku, quantity) {
  await sleep(1 + (quantity % 3));
  const left = stock.get(sku) ?? 0;
  if (left < quantity) throw new Error(`out of stock: ${sku}`);
  stock.set(sku, left - quantity);
  return left - quantity;
}

export async function release(sku, quantity) {
  await sleep(1);
  stock.set(sku, (stock.get(sku) ?? 0) + quantity);
}
