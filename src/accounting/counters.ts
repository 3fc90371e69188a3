import { FIELD_COUNT } from './fields.js';

const SLOTS = 256;

/**
 * Activities' counters are slots of shared Float64Arrays: allocating a small typed array
 * per activity costs ~0.5 µs (its store is off-heap), a slot costs a pop. A finished
 * activity's slot is zeroed and reused unless its view was handed out.
 */
export class Slab {
  readonly arr = new Float64Array(SLOTS * FIELD_COUNT);
  readonly free: number[] = [];
  listed = true;
  constructor() {
    for (let i = SLOTS - 1; i >= 0; i--) this.free.push(i * FIELD_COUNT);
  }
}

/** Where charges to a finished activity land: written, never read. */
export const TRASH = new Float64Array(FIELD_COUNT);

const slabs: Slab[] = [];

export function claimSlab(): Slab {
  let s = slabs[slabs.length - 1];
  if (s === undefined) {
    s = new Slab();
    slabs.push(s);
  }
  return s;
}

/** Takes a slot of `s`; a slab with no slot left leaves the list until one comes back. */
export function takeSlot(s: Slab): number {
  const off = s.free.pop()!;
  if (s.free.length === 0) {
    slabs.pop();
    s.listed = false;
  }
  return off;
}

export function releaseSlot(s: Slab, off: number): void {
  s.arr.fill(0, off, off + FIELD_COUNT);
  s.free.push(off);
  if (!s.listed) {
    s.listed = true;
    slabs.push(s);
  }
}
