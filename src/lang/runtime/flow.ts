import { escapeText, type ProbeEvent } from '../../core/index.js';

/** What DTrace prints once above the first line of a run with `flowindent` (`-F`). */
export const FLOW_HEADER = `${'CPU'.padStart(3)} ${'FUNCTION'.padEnd(41)}\n`;

type Flow = 'entry' | 'return' | 'none';

/**
 * DTrace's `flowindent` (libdtrace dt_flowindent and dtrace(1M)'s chew): a record line of an
 * entry probe prints ` -> FUNC` and indents the lines after it by two more spaces, a return
 * probe's unindents and prints ` <- FUNC`, any other `| FUNC:NAME`; each as `%3d %-41s `.
 * A probe is an entry when its name is `entry` or ends in `-entry` (a return likewise), and
 * here the `fn` provider's `error` is a return too, since it ends the call. DTrace's two
 * heuristics for several clauses of one probe hold: an entry right after another clause's
 * line of the same probe, and a return right before one, do not move the indent. The indent
 * is this thread's: DTrace's is its consumer's, and here each thread prints its own lines.
 */
export class FlowIndent {
  private indent = 0;
  private lastClause = -1;
  private lastProbe = -1;
  /** A return line waits for the next line: if another clause of its firing prints, it does not unindent. */
  private pending: { ev: ProbeEvent; clause: number; body: string; write: (text: string) => void } | null = null;
  private flushQueued = false;

  /** A record line of `clause` for `ev` is complete: `write` gets it with its prefix, now or once the next line is known. */
  line(ev: ProbeEvent, clause: number, body: string, write: (text: string) => void): void {
    const waiting = this.pending;
    if (waiting !== null) {
      this.pending = null;
      const sameFiring = waiting.ev.probe.id === ev.probe.id && waiting.clause !== clause;
      waiting.write(this.render(waiting.ev, sameFiring ? 'none' : 'return', waiting.body));
    }
    let flow = flowOf(ev);
    if (flow === 'entry' && this.lastProbe === ev.probe.id && this.lastClause !== clause) flow = 'none';
    this.lastProbe = ev.probe.id;
    this.lastClause = clause;
    if (flow === 'return') {
      this.pending = { ev, clause, body, write };
      if (!this.flushQueued) {
        this.flushQueued = true;
        // The clauses of one firing run synchronously: once they are done, no line can follow in it.
        queueMicrotask(() => {
          this.flushQueued = false;
          this.flush();
        });
      }
      return;
    }
    write(this.render(ev, flow, body));
    if (flow === 'entry') this.indent += 2;
  }

  /** Writes a waiting return line (the firing ended, or the program did). */
  flush(): void {
    const waiting = this.pending;
    if (waiting === null) return;
    this.pending = null;
    waiting.write(this.render(waiting.ev, 'return', waiting.body));
  }

  private render(ev: ProbeEvent, flow: Flow, body: string): string {
    if (flow === 'return' && this.indent > 0) this.indent -= 2;
    const p = ev.probe;
    const pad = ' '.repeat(this.indent);
    const name = flow === 'entry' ? `${pad} -> ${p.func}` : flow === 'return' ? `${pad} <- ${p.func}` : `${pad}| ${p.func}:${p.name}`;
    return `${String(ev.tid).padStart(3)} ${escapeText(name).padEnd(41)} ${body}`;
  }
}

function flowOf(ev: ProbeEvent): Flow {
  const { name, provider } = ev.probe;
  if (name === 'entry' || name.endsWith('-entry')) return 'entry';
  if (name === 'return' || name.endsWith('-return') || (provider === 'fn' && name === 'error')) return 'return';
  return 'none';
}
