import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentMessage } from '../protocol.js';

export type MessageListener = (pid: number, message: AgentMessage) => void;

interface OpenFile {
  readonly pid: number;
  readonly fd: number;
  offset: number;
  /** Bytes after the last newline: a message still being written. */
  partial: Buffer;
}

const CHUNK = 64 * 1024;

/**
 * Reads every agent's file in a session directory from where it left off. Files are taken
 * in pid order the first time they are seen, and lines in the order each agent wrote them.
 */
export class SessionReader {
  private readonly files = new Map<string, OpenFile>();
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  /** Lines that were not valid JSON; only a crash in the middle of a write makes one. */
  corrupt = 0;

  constructor(
    private readonly dir: string,
    private readonly listener: MessageListener,
  ) {}

  poll(): void {
    const names = readdirSync(this.dir).filter((n) => n.endsWith('.ndjson'));
    for (const name of names.sort((a, b) => parseInt(a, 10) - parseInt(b, 10))) {
      let f = this.files.get(name);
      if (f === undefined) {
        f = { pid: parseInt(name, 10), fd: openSync(join(this.dir, name), 'r'), offset: 0, partial: Buffer.alloc(0) };
        this.files.set(name, f);
      }
      this.drain(f);
    }
  }

  /** Counts what never got its newline as corrupt; call after the last poll. */
  close(): void {
    for (const f of this.files.values()) {
      if (f.partial.length > 0) this.corrupt++;
      closeSync(f.fd);
    }
    this.files.clear();
  }

  private drain(f: OpenFile): void {
    for (;;) {
      const n = readSync(f.fd, this.buffer, 0, CHUNK, f.offset);
      if (n === 0) return;
      f.offset += n;
      let data = Buffer.concat([f.partial, this.buffer.subarray(0, n)]);
      let nl = data.indexOf(0x0a);
      while (nl >= 0) {
        this.deliver(f.pid, data.subarray(0, nl).toString('utf8'));
        data = data.subarray(nl + 1);
        nl = data.indexOf(0x0a);
      }
      f.partial = Buffer.from(data);
    }
  }

  private deliver(pid: number, line: string): void {
    if (line === '') return;
    let message: AgentMessage;
    try {
      message = JSON.parse(line) as AgentMessage;
    } catch {
      this.corrupt++;
      return;
    }
    this.listener(pid, message);
  }
}
