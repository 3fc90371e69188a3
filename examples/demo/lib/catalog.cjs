'use strict';
// CommonJS on purpose: the demo mixes module systems as real applications do.
const ITEMS = {
  'book-ts': { name: 'Programming TypeScript', cents: 3999 },
  'mug-node': { name: 'Node.js mug', cents: 1200 },
  'shirt-v8': { name: 'V8 T-shirt', cents: 2500 },
  'sticker-d': { name: 'DTrace sticker', cents: 150 },
};

function lookup(sku) {
  const item = ITEMS[sku];
  if (item === undefined) throw new Error(`unknown sku ${sku}`);
  return item;
}

function listSkus() {
  return Object.keys(ITEMS);
}

module.exports = { lookup, listSkus };
