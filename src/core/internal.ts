/**
 * Depth of work microScope does on the application's thread through public Node APIs
 * (its module hook reading a file through `nextLoad`): providers that wrap those APIs skip
 * it, so the program's probes show the program's own work. A field load on the hot path.
 */
export const internalWork = { depth: 0 };

/** Runs `fn` as microScope's own work: a thread or process it starts is not the program's. */
export function internally<T>(fn: () => T): T {
  internalWork.depth++;
  try {
    return fn();
  } finally {
    internalWork.depth--;
  }
}
