import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCode, MscopeError } from '../core/index.js';
import type { Activity } from './activity.js';
import { AlsContext, hasAsyncContextFrame } from './als-context.js';
import type { ContextTracker } from './context.js';
import type { HookContextOptions } from './hook-context.js';
import { HookContext } from './hook-context.js';
import type { ResolvedOptions } from './options.js';

/**
 * Picks the context strategy once. Where AsyncContextFrame backs AsyncLocalStorage (Node
 * 24), the activity travels in ALS (free per await); async hooks are added only when a
 * subsystem needs segment boundaries (cpu, loop, gc, linux) or times requests (fallback
 * feeds), and then tag only those requests ('als+hooks'). On Node 20/22 ALS is itself built
 * on an init hook that tags every resource, so our own hook does that job ('hooks').
 */
export function chooseContext(o: ResolvedOptions, hooks: HookContextOptions): ContextTracker {
  const needsHooks = hooks.cpu || hooks.loop || hooks.linux !== null || hooks.segments !== null || hooks.kinds.size > 0 || hooks.pool;
  let kind = o.context;
  if (kind === 'auto') kind = !needsHooks && hasAsyncContextFrame() ? 'als' : 'hooks';
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
