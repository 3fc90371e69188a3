/**
 * DTrace's speculative buffers: `nspec` of them, each holding up to `specsize` bytes of
 * records until committed or discarded. What cannot be had is counted, never silent.
 */
export class Speculations {
  private readonly buffers: (string[] | null)[];
  private readonly sizes: number[];
  /** speculation() found every buffer busy. */
  busy = 0;
  /** Records lost to a full buffer or an inactive id. */
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
      this.busy++;
      return 0;
    }
    this.buffers[i] = [];
    this.sizes[i] = 0;
    return i + 1;
  }

  record(id: number, text: string): void {
    const b = this.buffers[id - 1];
    if (b === null || b === undefined || this.sizes[id - 1]! + text.length > this.specsize) {
      this.drops++;
      return;
    }
    b.push(text);
    this.sizes[id - 1]! += text.length;
  }

  /** The buffer's records, freeing it; empty for an inactive id. */
  commit(id: number): string[] {
    const b = this.buffers[id - 1];
    if (b === null || b === undefined) return [];
    this.buffers[id - 1] = null;
    return b;
  }

  discard(id: number): void {
    if (this.buffers[id - 1] !== undefined) this.buffers[id - 1] = null;
  }
}
