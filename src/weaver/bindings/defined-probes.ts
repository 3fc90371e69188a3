/**
 * The probe ids a ring or batch stream has carried a definition record of: a byte per id.
 * A plain array indexed by probe id turns into a dictionary once ids pass about 1,024 (a
 * program with many probes), and its lookup then cost about 14 ns an event.
 */
export class DefinedProbes {
  private bytes = new Uint8Array(1024);

  /** Past the end, a typed array reads undefined. */
  has(id: number): boolean {
    return this.bytes[id] === 1;
  }

  add(id: number): void {
    if (id >= this.bytes.length) {
      let n = this.bytes.length;
      while (n <= id) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[id] = 1;
  }

  /** Forgets every definition: the reader on the far side was replaced. */
  clear(): void {
    this.bytes.fill(0);
  }
}
