import { AsyncLocalStorage } from 'node:async_hooks';
import type { Activity } from './activity.js';
import type { ContextTracker } from './context.js';
import { nodeFlags } from '../core/node-flags.js';

/**
 * AsyncLocalStorage strategy, used when no subsystem needs segment boundaries. Where
 * AsyncContextFrame backs it (Node 24, or 22 with --experimental-async-context-frame) it
 * costs one `run()` (about 300 ns) per activity and nothing per await; elsewhere Node's own
 * `init` hook copies the store to each new resource.
 */
export class AlsContext implements ContextTracker {
  readonly kind = 'als' as const;
  private readonly als = new AsyncLocalStorage<Activity | null>();

  current(): Activity | null {
    return this.als.getStore() ?? null;
  }

  run<R>(act: Activity | null, fn: () => R): R {
    return this.als.run(act, fn);
  }

  enter(act: Activity | null): void {
    this.als.enterWith(act);
  }

  flush(): void {}

  disable(): void {
    this.als.disable();
  }
}

/** True where AsyncLocalStorage is backed by AsyncContextFrame. */
export function hasAsyncContextFrame(): boolean {
  const flags = nodeFlags(process.execArgv, process.env.NODE_OPTIONS);
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 24) return !flags.includes('--no-async-context-frame');
  return major >= 22 && flags.includes('--experimental-async-context-frame');
}
