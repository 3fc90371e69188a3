import { ErrorCode, MscopeError } from '../core/index.js';
import { AlsContext, hasAsyncContextFrame } from './als-context.js';
import type { ContextTracker } from './context.js';
import type { HookContextOptions } from './hook-context.js';
import { HookContext } from './hook-context.js';
import type { ResolvedOptions } from './options.js';

/**
 * Picks the context strategy once. Async hooks are needed whenever a subsystem is measured
 * at segment boundaries (cpu, loop, linux) or by the resource fallback; otherwise, where
 * AsyncContextFrame backs AsyncLocalStorage (Node 24), ALS costs nothing per await and is
 * preferred. On Node 20/22 ALS would add ~100 ns per await on top of nothing, while the
 * hooks strategy pays init/before/after only, so hooks are used there in every case.
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
  return kind === 'als' ? new AlsContext() : new HookContext(hooks);
}
