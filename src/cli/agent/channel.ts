import fs from 'node:fs';

// Taken when the agent loads, before the fs provider can wrap them: the agent's own writes
// must never show up as the traced program's fs operations.
const { closeSync, openSync, writeSync } = fs;
import type { AgentMessage } from '../protocol.js';

/**
 * Appends messages to this process's file in the session directory. Messages are buffered
 * and written with one synchronous write per flush, so a flush from an `exit` handler or a
 * signal handler completes before the process goes away.
 */
export class AgentChannel {
  private pending: string[] = [];
  private fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }

  send(message: AgentMessage): void {
    let line: string;
    try {
      line = JSON.stringify(message);
    } catch (error) {
      const what = 'monitor' in message ? message.monitor : 'agent';
      line = JSON.stringify({ t: 'fault', monitor: what, message: `cannot send ${message.t}: ${String(error)}` });
    }
    this.pending.push(line + '\n');
  }

  flush(): void {
    if (this.pending.length === 0 || this.fd < 0) return;
    const data = Buffer.from(this.pending.join(''));
    this.pending = [];
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off);
  }

  close(): void {
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
