import { AsyncLocalStorage, executionAsyncId } from 'node:async_hooks';

/** The slots of one context, and the execution that made them. */
interface SelfSlots {
  readonly owner: number;
  readonly values: unknown[];
}

/**
 * `self->` variables: slots kept in an AsyncLocalStorage so they follow the async context
 * across `await`. Copy on write per execution: the first write in a callback, timer or
 * request copies the slots it inherited and enters the copy, so sibling contexts that
 * inherited one parent's slots (requests of a server whose setup wrote one) never share
 * them. Reads before any write see the defaults and allocate nothing.
 */
export class SelfStore {
  private readonly als = new AsyncLocalStorage<SelfSlots>();

  constructor(readonly defaults: readonly unknown[]) {
    // Where AsyncLocalStorage runs on async hooks (Node < 24), promises made before it first
    // holds a store have no context of their own, and every async call would share the first
    // write's slots. Running once with a store (undefined does not count) turns tracking on.
    this.als.run({ owner: -1, values: [] }, () => {});
  }

  read(): unknown[] {
    return this.als.getStore()?.values ?? (this.defaults as unknown[]);
  }

  write(): unknown[] {
    const s = this.als.getStore();
    const id = executionAsyncId();
    if (s !== undefined && s.owner === id) return s.values;
    const fresh: SelfSlots = { owner: id, values: s === undefined ? this.defaults.slice() : s.values.slice() };
    this.als.enterWith(fresh);
    return fresh.values;
  }

  disable(): void {
    this.als.disable();
  }
}
