import type { Activity } from './activity.js';

/**
 * How the current activity follows the program across async boundaries. Two strategies,
 * chosen once at enable time (see choose.ts): async hooks that also see every segment
 * boundary, or AsyncLocalStorage where it propagates for free (AsyncContextFrame).
 */
export interface ContextTracker {
  readonly kind: 'hooks' | 'als' | 'als+hooks';
  current(): Activity | null;
  /** Runs `fn` with `act` current; what `fn` schedules stays with `act`. */
  run<R>(act: Activity | null, fn: () => R): R;
  /** Makes `act` current for the rest of this synchronous segment and what it schedules. */
  enter(act: Activity | null): void;
  /** Charges the running segment so far, so the current activity's counters are up to date. */
  flush(): void;
  disable(): void;
}
