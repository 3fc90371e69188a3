type AnyMap = Map<unknown, unknown>;

/**
 * DTrace's `dynvarsize` for associative arrays: what their elements may hold together, in
 * bytes as estimated here. A new element that would pass it is not stored and counts as a
 * dynamic variable drop (`mscope: N dynamic variable drops`); storing 0 frees an element
 * and gives its bytes back. Changing an existing element is never refused.
 */
export class DynVars {
  used = 0;
  drops = 0;

  constructor(readonly limit: number) {}

  set(m: AnyMap, k: unknown, v: unknown): void {
    const old = m.get(k);
    if (old === undefined) {
      const cost = ENTRY_BYTES + bytesOf(k) + bytesOf(v);
      if (this.used + cost > this.limit) {
        this.drops++;
        return;
      }
      this.used += cost;
    } else if (typeof v === 'string' || typeof old === 'string') this.used += bytesOf(v) - bytesOf(old);
    m.set(k, v);
  }

  free(m: AnyMap, k: unknown): void {
    const old = m.get(k);
    if (old === undefined) return;
    this.used -= ENTRY_BYTES + bytesOf(k) + bytesOf(old);
    m.delete(k);
  }
}

/** An element's cost beside its key and value: its Map entry and hash-table slot. */
const ENTRY_BYTES = 64;

function bytesOf(v: unknown): number {
  return typeof v === 'string' ? 16 + 2 * v.length : 16;
}
