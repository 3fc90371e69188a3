import { closeSync, existsSync, openSync, readdirSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentMessage } from '../agent/protocol.js';

export type MessageListener = (pid: number, message: AgentMessage) => void;

interface OpenFile {
  readonly pid: number;
  /** The stream's first file; later segments are `<path>.1`, `<path>.2`… */
  readonly path: string;
  fd: number;
  segment: number;
  offset: number;
  /** Bytes after the last newline, in the chunks they came in: a message still being written. */
  partial: Buffer[];
}

const CHUNK = 64 * 1024;

/**
 * Reads every agent's file in a session directory from where it left off. Files are taken
 * in pid order the first time they are seen, and lines in the order each agent wrote them.
 */
export class SessionReader {
  private readonly files = new Map<string, OpenFile>();
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  /** Lines that were not valid JSON, by the pid that wrote them; only a crash in the middle of a write makes one. */
  readonly corrupt = new Map<number, number>();
  private batch: { at: number; seq: number; pid: number; message: AgentMessage }[] = [];

  constructor(
    private readonly dir: string,
    private readonly listener: MessageListener,
  ) {}

  poll(): void {
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.ndjson') || this.files.has(name)) continue;
      const path = join(this.dir, name);
      this.files.set(name, { pid: parseInt(name, 10), path, fd: openSync(path, 'r'), segment: 0, offset: 0, partial: [] });
    }
    // Known streams, not the listing: a stream's first file is gone once it has been read.
    for (const f of [...this.files.values()].sort((a, b) => a.pid - b.pid)) this.drain(f);
    // Lines read in one poll from several agents go out in the order they were sent.
    const batch = this.batch;
    this.batch = [];
    batch.sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const m of batch) this.listener(m.pid, m.message);
  }

  /** Counts what never got its newline as corrupt; call after the last poll. */
  close(): void {
    for (const f of this.files.values()) {
      if (f.partial.some((b) => b.length > 0)) this.countCorrupt(f.pid);
      closeSync(f.fd);
    }
    this.files.clear();
  }

  /**
   * Linear in the bytes read, however long a line: each chunk is scanned once, and a line
   * spanning many chunks is joined once, when its newline arrives.
   */
  private drain(f: OpenFile): void {
    for (;;) {
      // Checked before reading to the end: once the next segment exists, this one is complete.
      const next = `${f.path}.${f.segment + 1}`;
      const continued = existsSync(next);
      const n = readSync(f.fd, this.buffer, 0, CHUNK, f.offset);
      if (n === 0) {
        if (!continued) return;
        this.nextSegment(f, next);
        continue;
      }
      f.offset += n;
      const data = this.buffer.subarray(0, n);
      let start = 0;
      let nl = data.indexOf(0x0a);
      while (nl >= 0) {
        const tail = data.subarray(start, nl);
        const line = f.partial.length === 0 ? tail : Buffer.concat([...f.partial, tail]);
        f.partial = [];
        this.deliver(f.pid, line.toString('utf8'));
        start = nl + 1;
        nl = data.indexOf(0x0a, start);
      }
      if (start < n) f.partial.push(Buffer.from(data.subarray(start)));
    }
  }

  /** The agent writes no more to a segment once it has begun the next: it is deleted, bounding the disk used. */
  private nextSegment(f: OpenFile, next: string): void {
    // An agent begins a segment with a whole line: what it left unfinished here is a write that failed part-way.
    if (f.partial.length > 0) {
      this.countCorrupt(f.pid);
      f.partial = [];
    }
    closeSync(f.fd);
    unlinkSync(f.segment === 0 ? f.path : `${f.path}.${f.segment}`);
    f.fd = openSync(next, 'r');
    f.segment++;
    f.offset = 0;
  }

  private countCorrupt(pid: number): void {
    this.corrupt.set(pid, (this.corrupt.get(pid) ?? 0) + 1);
  }

  private deliver(pid: number, line: string): void {
    if (line === '') return;
    let message: AgentMessage;
    try {
      message = JSON.parse(line) as AgentMessage;
    } catch {
      this.countCorrupt(pid);
      return;
    }
    // A line without a time (an older agent) keeps its place after its predecessor.
    const prev = this.batch.length === 0 ? 0 : this.batch[this.batch.length - 1]!.at;
    const sent = (message as unknown as { at?: unknown }).at;
    const at = typeof sent === 'number' ? sent : prev;
    this.batch.push({ at, seq: this.batch.length, pid, message });
  }
}
