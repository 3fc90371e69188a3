import type { Expr } from './ast.js';
import { asInt } from './ctypes.js';

/** dt_print_datum's column width per integer size in bytes (its fmttab). */
const WIDTH_BY_SIZE = { 1: 3, 2: 5, 4: 8, 8: 16 } as const;

/**
 * The width DTrace prints an integer aggregation key in (dt_print_datum, by the size of the
 * key's D type): 3 for `char`, 5 for `short`, 8 for 4-byte values (`int`: a comparison, `!x`,
 * an `int` constant, `pid`, `cpu`, an enum…), 16 for 8-byte ones (`arg0`, `timestamp`,
 * pointers, `long` arithmetic) and for values of the traced program (their type is not D's).
 */
export function keyWidth(e: Expr): number {
  const t = e.ctype === undefined ? null : asInt(e.ctype);
  return t === null ? 16 : WIDTH_BY_SIZE[t.size];
}
