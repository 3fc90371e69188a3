import { toInt } from './values.js';

/**
 * `%a`/`%A`'s argument: DTrace prints an address as the symbol that holds it. In a
 * JavaScript program the symbols are functions, so a function prints as its name (the
 * string); anything else is an address, printed in hex.
 */
export function symbolOf(v: unknown): string | number | bigint {
  if (typeof v === 'function') return v.name === '' ? '<anonymous>' : v.name;
  return toInt(v);
}
