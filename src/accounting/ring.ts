import type { AcctRecord } from './activity.js';

/** The last `size` finished records; older ones are overwritten and counted. */
export class RecordRing {
  private readonly slots: (AcctRecord | undefined)[];
  private next = 0;
  private total = 0;

  constructor(readonly size: number) {
    this.slots = new Array<AcctRecord | undefined>(size);
  }

  push(r: AcctRecord): void {
    this.slots[this.next] = r;
    this.next = (this.next + 1) % this.size;
    this.total++;
  }

  /** Records pushed since creation, including overwritten ones. */
  get pushed(): number {
    return this.total;
  }

  get overwritten(): number {
    return Math.max(0, this.total - this.size);
  }

  /** Oldest first. */
  toArray(): AcctRecord[] {
    const n = Math.min(this.total, this.size);
    const out: AcctRecord[] = [];
    const first = this.total > this.size ? this.next : 0;
    for (let i = 0; i < n; i++) out.push(this.slots[(first + i) % this.size]!);
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.total = 0;
  }
}
