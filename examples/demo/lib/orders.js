import { applyDiscount, priceOf, withTax } from './pricing.js';
import { release, reserve } from './inventory.js';

export class OrderService {
  #next = 1;
  #placed = [];

  async placeOrder(order) {
    const reserved = [];
    try {
      for (const line of order.lines) {
        await reserve(line.sku, line.quantity);
        reserved.push(line);
      }
      const subtotal = order.lines.reduce((sum, l) => sum + priceOf(l.sku, l.quantity), 0);
      const total = withTax(applyDiscount(subtotal, order.discount));
      const placed = { id: this.#next++, customer: order.customer, total };
      this.#placed.push(placed);
      return placed;
    } catch (error) {
      await Promise.all(reserved.map((l) => release(l.sku, l.quantity)));
      throw error;
    }
  }

  revenue() {
    return this.#placed.reduce((sum, o) => sum + o.total, 0);
  }
}
