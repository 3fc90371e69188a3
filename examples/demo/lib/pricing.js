import catalog from './catalog.cjs';

const DISCOUNTS = { WELCOME10: 0.1, HALFOFF: 0.5 };
const TAX_RATE = 0.2;

export function priceOf(sku, quantity) {
  return catalog.lookup(sku).cents * quantity;
}

export function applyDiscount(cents, code) {
  if (code === undefined) return cents;
  const rate = DISCOUNTS[code];
  if (rate === undefined) throw new RangeError(`invalid discount code ${code}`);
  return Math.round(cents * (1 - rate));
}

export function withTax(cents) {
  return Math.round(cents * (1 + TAX_RATE));
}
