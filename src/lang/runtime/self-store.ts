import { AsyncLocalStorage, executionAsyncId } from 'node:async_hooks';
import { SelfMap, type DynVars, type SlotLedger } from './dynvars.js';

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
 *
 * What the slots hold counts against dynvarsize with the associative arrays (DynVars), and
 * a write that needs new storage past it is a dynamic variable drop. Storing 0 gives a slot's
 * bytes back, as in D; a copy's last element is its SlotLedger, whose bytes are also given
 * back when the copy is collected with its context (DTrace keeps what a dead thread did not zero).
 */
export class SelfStore {
  private readonly als = new AsyncLocalStorage<SelfSlots>();
  private readonly collected: FinalizationRegistry<SlotLedger>;

  constructor(
    readonly defaults: readonly unknown[],
    private readonly dynvars: DynVars,
  ) {
    this.collected = new FinalizationRegistry((ledger) => (dynvars.used -= ledger.bytes));
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
    const fresh: SelfSlots = { owner: id, values: this.copy(s === undefined ? this.defaults : s.values) };
    this.als.enterWith(fresh);
    return fresh.values;
  }

  disable(): void {
    this.als.disable();
  }

  /** A context's own slots, from the ones it inherited: what they hold is charged anew, or dropped. */
  private copy(from: readonly unknown[]): unknown[] {
    const n = this.defaults.length;
    const ledger: SlotLedger = { bytes: 0 };
    const values = from.slice(0, n);
    values.push(ledger);
    for (let i = 0; i < n; i++) {
      // A struct's default is one shared object, never changed in place: it holds nothing new.
      if (values[i] === this.defaults[i]) continue;
      // A variable in memory (its bytes, addressed.ts) is changed in place: the copy gets bytes of its own.
      if (values[i] instanceof Uint8Array) values[i] = (values[i] as Uint8Array).slice();
      // So is an associative array (its elements are charged to this copy's ledger with it).
      if (values[i] instanceof SelfMap) values[i] = new SelfMap(ledger, values[i] as SelfMap);
      if (!this.dynvars.chargeSlot(values, i)) values[i] = this.defaults[i];
    }
    this.collected.register(values, ledger);
    return values;
  }
}
