type AnyMap = Map<unknown, unknown>;

/** What a context's self-> slots have charged to dynvarsize; SelfStore keeps it as their last element. */
export interface SlotLedger {
  bytes: number;
}

/**
 * A `self->` associative array of one context, held in its slot: its elements are charged to
 * the context's ledger too, so that they are given back when the context is collected.
 */
export class SelfMap extends Map<unknown, unknown> {
  constructor(
    readonly ledger: SlotLedger,
    from?: Iterable<readonly [unknown, unknown]>,
  ) {
    super(from);
  }
}

/**
 * DTrace's `dynvarsize` for associative arrays and self-> variables: what their elements may
 * hold together, in bytes as estimated here. A new element that would pass it is not stored
 * and counts as a dynamic variable drop (`mscope: N dynamic variable drops`); storing 0 frees
 * an element and gives its bytes back. Changing an existing element is never refused.
 */
export class DynVars {
  used = 0;
  drops = 0;

  constructor(readonly limit: number) {}

  set(m: AnyMap, k: unknown, v: unknown): void {
    const old = m.get(k);
    if (old === undefined) {
      const cost = elementBytes(k, v);
      if (this.used + cost > this.limit) {
        this.drops++;
        return;
      }
      this.charge(m, cost);
    } else if (typeof v === 'string' || typeof old === 'string') this.charge(m, bytesOf(v) - bytesOf(old));
    m.set(k, v);
  }

  free(m: AnyMap, k: unknown): void {
    const old = m.get(k);
    if (old === undefined) return;
    this.charge(m, -elementBytes(k, old));
    m.delete(k);
  }

  private charge(m: AnyMap, bytes: number): void {
    this.used += bytes;
    if (m instanceof SelfMap) m.ledger.bytes += bytes;
  }

  /** Stores self-> slot `i` of a context's slots (SelfStore), as `set` stores an element; its default holds nothing. */
  setSlot(slots: unknown[], i: number, v: unknown, dflt: unknown): void {
    const old = slots[i];
    const before = old === dflt ? 0 : slotBytes(old);
    const after = v === dflt ? 0 : slotBytes(v);
    if (before === 0 && after !== 0 && this.used + after > this.limit) {
      this.drops++;
      return;
    }
    const delta = after - before;
    if (delta !== 0) {
      this.used += delta;
      (slots[slots.length - 1] as SlotLedger).bytes += delta;
    }
    slots[i] = v;
  }

  /** Charges slot `i` of slots just copied from another context's; false, and a drop, when it does not fit. */
  chargeSlot(slots: unknown[], i: number): boolean {
    const cost = slotBytes(slots[i]);
    if (cost === 0) return true;
    if (this.used + cost > this.limit) {
      this.drops++;
      return false;
    }
    this.used += cost;
    (slots[slots.length - 1] as SlotLedger).bytes += cost;
    return true;
  }
}

/** 0, "" and an unset value hold no storage: storing one frees an element, as in D. */
export function vacant(v: unknown): boolean {
  return v === 0 || v === '' || v === undefined;
}

/** An element's cost beside its key and value: its Map entry and hash-table slot. */
const ENTRY_BYTES = 64;

/** A self-> slot's cost beside its value: its array element and its share of its context's copy. */
const SLOT_BYTES = 32;

function bytesOf(v: unknown): number {
  if (v instanceof Uint8Array) return 16 + v.length;
  return typeof v === 'string' ? 16 + 2 * v.length : 16;
}

function elementBytes(k: unknown, v: unknown): number {
  return ENTRY_BYTES + bytesOf(k) + bytesOf(v);
}

function slotBytes(v: unknown): number {
  if (v instanceof SelfMap) {
    let bytes = SLOT_BYTES + 16;
    for (const [k, e] of v) bytes += elementBytes(k, e);
    return bytes;
  }
  return vacant(v) ? 0 : SLOT_BYTES + bytesOf(v);
}
