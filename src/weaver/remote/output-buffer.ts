/** DTrace's `bufsize` default: what a remote monitor may write between two flushes. */
export const DEFAULT_OUTPUT_BYTES = 4 << 20;

/**
 * Text a remote monitor (shm or message worker) writes between two flushes, bounded in
 * bytes as DTrace bounds its principal buffer: once `limit` is reached the monitor takes
 * no more events until the next flush empties it, and each one refused is counted as a
 * drop. Unbounded, a monitor writing 100 KB per event grew one string until serialising
 * the flush ran the worker (and so the traced process) out of memory.
 */
export class OutputBuffer {
  private parts: string[] = [];
  private length = 0;
  /** Events refused since the last take(). */
  dropped = 0;

  constructor(private readonly limit: number = DEFAULT_OUTPUT_BYTES) {}

  /** False once the buffer is full: the caller drops the event and calls refuse(). */
  get open(): boolean {
    return this.length < this.limit;
  }

  refuse(): void {
    this.dropped++;
  }

  /** Writes whole: one write past the limit closes the buffer for what follows. */
  write(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }

  /** What was written and refused since the previous take; empties the buffer. */
  take(): { output: string; dropped: number } {
    const r = { output: this.parts.join(''), dropped: this.dropped };
    this.parts = [];
    this.length = 0;
    this.dropped = 0;
    return r;
  }
}
