// The remote monitor of the probe-effect calibration: counts, as `count()` would, and flushes the count.
export function createMonitor(): { handle(): void; flush(): number } {
  let count = 0;
  return {
    handle() {
      count++;
    },
    flush() {
      const out = count;
      count = 0;
      return out;
    },
  };
}

/** It only counts: the shm and message bindings need not read the clock for it. */
export function readsTimestamps(): boolean {
  return false;
}
