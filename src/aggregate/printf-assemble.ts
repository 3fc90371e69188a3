import type { Conversion } from './printf.js';

/** Sign, prefix and digits assembled with C's padding rules. */
export function assemble(
  sign: string,
  prefix: string,
  digits: string,
  conv: Conversion,
  width: number,
  precision: number,
  minus: boolean,
): string {
  const body = prefix + digits;
  const len = sign.length + body.length;
  if (width <= len) return sign + body;
  if (minus) return (sign + body).padEnd(width);
  if (conv.zero && precision < 0) return sign + prefix + digits.padStart(width - sign.length - prefix.length, '0');
  return (sign + body).padStart(width);
}
