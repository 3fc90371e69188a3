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

  constructor(readonly defaults: readonly unknown[]) {}

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
