import fs from 'node:fs';

// Taken when the agent loads, before the fs provider can wrap them: the agent's own writes
// must never show up as the traced program's fs operations.
const { closeSync, openSync, writeSync } = fs;
import type { AgentMessage } from './protocol.js';

/** A file is continued in `<file>.1`, `<file>.2`…, once this size is passed; mscope deletes each once read. */
export const SEGMENT_BYTES = 4 * 1024 * 1024;

/**
 * Appends messages to this process's file in the session directory. Messages are buffered
 * and written with one synchronous write per flush, so a flush from an `exit` handler or a
 * signal handler completes before the process goes away. A write that fails (a full disk)
 * never reaches the program: its messages are counted as lost, for the agent to report.
 */
export class AgentChannel {
  private pending: string[] = [];
  private fd: number;
  private segment = 0;
  private written = 0;
  /** A failed write left part of a line in the file: the next write ends it first. */
  private midLine = false;
  /** Messages dropped because they could not be written. */
  lost = 0;
  /** Why the first of them could not be (`ENOSPC`, `EFBIG`, ...). */
  lostCause = '';

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }

  send(message: AgentMessage): void {
    let line: string;
    try {
      line = JSON.stringify({ ...message, at: sentAt() });
    } catch (error) {
      const what = 'monitor' in message ? message.monitor : 'agent';
      line = JSON.stringify({ t: 'fault', monitor: what, message: `cannot send ${message.t}: ${String(error)}`, at: sentAt() });
    }
    this.pending.push(line + '\n');
  }

  flush(): void {
    if (this.pending.length === 0 || this.fd < 0) return;
    const lines = this.pending;
    this.pending = [];
    const data = Buffer.from((this.midLine ? '\n' : '') + lines.join(''));
    let off = 0;
    try {
      while (off < data.length) off += writeSync(this.fd, data, off);
      this.midLine = false;
    } catch (error) {
      this.lost += lines.length;
      this.lostCause ||= (error as NodeJS.ErrnoException).code ?? String(error);
      this.midLine ||= off > 0;
      // A new file lets mscope delete this one once read, which frees the disk for what follows.
      this.written = SEGMENT_BYTES;
    }
    this.written += off;
    if (this.written >= SEGMENT_BYTES) this.nextSegment();
  }

  close(): void {
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** mscope has read the file up to here, or will: it deletes it once the next one exists. */
  private nextSegment(): void {
    let fd: number;
    try {
      fd = openSync(`${this.path}.${this.segment + 1}`, 'a', 0o600);
    } catch {
      return;
    }
    closeSync(this.fd);
    this.fd = fd;
    this.segment++;
    this.written = 0;
    this.midLine = false;
  }
}

/**
 * When a line was sent, on the machine's monotonic clock (the same in every process): mscope
 * applies the lines of one poll in this order, so the last report sent is the last applied.
 */
function sentAt(): number {
  return Number(process.hrtime.bigint());
}
