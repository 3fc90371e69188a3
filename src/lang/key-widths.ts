import type { Expr } from './ast.js';

/** Built-in variables whose D type is 32 bits wide (pid_t, uid_t, gid_t, id_t, processorid_t, int, uint32_t). */
const INT32_VARS = new Set(['pid', 'ppid', 'uid', 'gid', 'tid', 'cpu', 'errno', 'id']);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The width DTrace prints an integer aggregation key in (dt_print_datum, by the key's size):
 * 8 for a 32-bit value (the built-ins above, and an integer constant that fits D's `int`),
 * 16 for anything 64-bit (`arg0`, `timestamp`, arithmetic on them).
 */
export function keyWidth(e: Expr): number {
  if (e.kind === 'ident' && e.ref?.kind === 'builtin' && INT32_VARS.has(e.name)) return 8;
  if (e.kind === 'int' && typeof e.value === 'number' && e.value <= INT32_MAX) return 8;
  return 16;
}
