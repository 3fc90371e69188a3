import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * `self->` variables: one slot array per activity, kept in an AsyncLocalStorage so it
 * follows the async context across `await`. The store is created on the first write with
 * `enterWith`; reads before that see the shared defaults and allocate nothing.
 */
export class SelfStore {
  private readonly als = new AsyncLocalStorage<unknown[]>();

  constructor(readonly defaults: readonly unknown[]) {}

  read(): unknown[] {
    return this.als.getStore() ?? (this.defaults as unknown[]);
  }

  write(): unknown[] {
    let s = this.als.getStore();
    if (s === undefined) {
      s = this.defaults.slice();
      this.als.enterWith(s);
    }
    return s;
  }

  disable(): void {
    this.als.disable();
  }
}
