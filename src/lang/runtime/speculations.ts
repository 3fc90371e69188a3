import { DFault } from './values.js';

/** The id speculate(0) (a failed speculation()) records to: nowhere, silently, as in DTrace. */
export const NO_SPECULATION = -1;

/**
 * DTrace's speculative buffers: `nspec` of them, each holding up to `specsize` bytes of
 * records until committed or discarded. What cannot be had is counted as DTrace counts it:
 * a speculation() with every buffer in use is a failed speculation ("no speculative buffer
 * available"), a record that does not fit its buffer a speculative drop. As in DTrace,
 * speculate(0) and records to an inactive buffer go nowhere without a count (the failed
 * speculation() that gave 0 was counted), and an id above `nspec` is an illegal operation.
 */
export class Speculations {
  private readonly buffers: (string[] | null)[];
  private readonly sizes: number[];
  /** speculation() found every buffer in use (DTRACEDROP_SPECUNAVAIL). */
  unavailable = 0;
  /** Records lost to a full buffer. */
  drops = 0;

  constructor(
    nspec: number,
    private readonly specsize: number,
  ) {
    this.buffers = new Array<string[] | null>(Math.max(0, nspec)).fill(null);
    this.sizes = new Array<number>(Math.max(0, nspec)).fill(0);
  }

  /** A free buffer's id (1-based), or 0 when all are in use. */
  acquire(): number {
    const i = this.buffers.indexOf(null);
    if (i < 0) {
      this.unavailable++;
      return 0;
    }
    this.buffers[i] = [];
    this.sizes[i] = 0;
    return i + 1;
  }

  /** What speculate(id) records to: the id, or NO_SPECULATION for 0; a fault above nspec. */
  target(id: number, action: string): number {
    if (id === 0) return NO_SPECULATION;
    this.check(id, action);
    return id;
  }

  record(id: number, text: string): void {
    const b = this.buffers[id - 1];
    if (b === null || b === undefined) return;
    if (this.sizes[id - 1]! + text.length > this.specsize) {
      this.drops++;
      return;
    }
    b.push(text);
    this.sizes[id - 1]! += text.length;
  }

  /** The buffer's records, freeing it; empty for 0 or an inactive id. */
  commit(id: number): string[] {
    if (id === 0) return [];
    this.check(id, 'commit');
    const b = this.buffers[id - 1];
    if (b === null || b === undefined) return [];
    this.buffers[id - 1] = null;
    return b;
  }

  discard(id: number): void {
    if (id === 0) return;
    this.check(id, 'discard');
    this.buffers[id - 1] = null;
  }

  private check(id: number, action: string): void {
    if (id < 0 || id > this.buffers.length || !Number.isInteger(id)) {
      throw new DFault('illegal-operation', `${action}(): ${id} is not a speculation (nspec is ${this.buffers.length})`);
    }
  }
}
