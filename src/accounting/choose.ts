import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCode, MscopeError } from '../core/index.js';
import type { Activity } from './activity.js';
import { AlsContext, hasAsyncContextFrame } from './als-context.js';
import type { ContextTracker } from './context.js';
import type { HookContextOptions } from './hook-context.js';
import { HookContext } from './hook-context.js';
import type { ResolvedOptions } from './options.js';

/**
 * Picks the context strategy once. The activity travels in AsyncLocalStorage unless a
 * subsystem needs segment boundaries (cpu, loop, gc, linux) or times requests (fallback
 * feeds): those need our own `before`/`after` hooks. On Node 20 and 22 ALS is built on an
 * `init` hook alone, so a wall-clock account rides it without a call per callback (the
 * hooks' `before`/`after` cost a hello-world server about a tenth of its rate, bench
 * accounting's `dc+ALS floor`). With hooks, where AsyncContextFrame backs ALS (Node 24) the
 * activity still travels in ALS and `init` tags only the timed requests ('als+hooks');
 * elsewhere `init` tags every resource ('hooks').
 */
export function chooseContext(o: ResolvedOptions, hooks: HookContextOptions): ContextTracker {
  const needsHooks = hooks.cpu || hooks.loop || hooks.linux !== null || hooks.segments !== null || hooks.kinds.size > 0 || hooks.pool;
  let kind = o.context;
  if (kind === 'auto') kind = needsHooks ? 'hooks' : 'als';
  if (kind === 'als' && needsHooks) {
    throw new MscopeError(
      ErrorCode.BadUsage,
      'accounting: context "als" cannot measure cpu, loop, gc, linux or the resource fallback; turn those subsystems off or use context "hooks"',
    );
  }
  if (kind === 'als') return new AlsContext();
  const als = o.context === 'auto' && hasAsyncContextFrame() ? new AsyncLocalStorage<Activity | null>() : null;
  return new HookContext({ ...hooks, als });
}
