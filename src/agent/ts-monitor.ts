import { fileURLToPath } from 'node:url';
import { threadEntryUrl, type ProbeEvent } from '../core/index.js';
import type { Monitor } from '../weaver/index.js';
import type { MonitorOutput } from './define-monitor.js';
import type { LoadedMonitorFile } from './monitor-file.js';
import { loadMonitorFile } from './monitor-file.js';
import type { TsRemoteFlush, TsRemoteOptions } from './ts-remote.js';
import { RemoteLinks } from './remote-links.js';
import type { AgentContext, AgentMonitor } from './types.js';

/** The weaver loads this module on the far side of a shm or message binding. */
const REMOTE_MODULE = fileURLToPath(threadEntryUrl('ts-remote', import.meta.url));

/** What a TypeScript monitor's agent sends at exit, when a shm or message link lost events. */
export interface TsFinal {
  /** Events handed to a shm or message binding that no flush had reported when the process exited. */
  readonly inFlight: number;
}

/**
 * A `--monitor` file as an agent monitor: its handlers are linked, `onExit` runs at exit.
 * Every link carries its remote form, so a link bound (or later relinked) to shm or message
 * runs the file's handler in a worker (src/agent/ts-remote.ts); each of its flushes
 * hands the file's `onFlush()` result to `onMerge` here, so `onExit` prints one state.
 */
export class TsMonitor implements AgentMonitor {
  private out: MonitorOutput | null = null;
  private readonly remote = new RemoteLinks();

  constructor(
    private readonly file: LoadedMonitorFile,
    private readonly path: string,
    private readonly name: string,
  ) {}

  static async load(path: string, name: string): Promise<TsMonitor> {
    return new TsMonitor(await loadMonitorFile(path, name), path, name);
  }

  start(ctx: AgentContext): void {
    const out: MonitorOutput = { write: (text) => ctx.output(text), exit: (code) => ctx.exit(code) };
    const binding = ctx.binding ?? this.file.linkOptions.binding;
    this.file.links.forEach(({ description, handler }, i) => {
      const monitor = handler.length >= 2 ? (ev: ProbeEvent) => handler(ev, out) : (handler as Monitor);
      const options: TsRemoteOptions = { file: this.path, name: this.name, link: i };
      const h = ctx.link(description, monitor, {
        ...this.file.linkOptions,
        ...(binding === undefined ? {} : { binding }),
        remote: { module: REMOTE_MODULE, options },
      });
      h.onFlush((r) => this.merge(ctx, r as TsRemoteFlush | undefined));
      this.remote.add(h);
    });
    this.out = out;
  }

  /** Results of a TypeScript monitor are text printed by `onExit`, so there is no delta. */
  flush(): unknown {
    return undefined;
  }

  drops(): number {
    return this.remote.dropped;
  }

  finish(): unknown {
    try {
      if (this.file.onExit !== undefined && this.out !== null) this.file.onExit(this.out);
    } finally {
      this.file.unload();
    }
    const inFlight = this.remote.inFlight();
    return inFlight > 0 ? ({ inFlight } satisfies TsFinal) : undefined;
  }

  private merge(ctx: AgentContext, r: TsRemoteFlush | undefined): void {
    if (r === undefined) return;
    this.remote.noteFlushed(r.events, r.dropped);
    if (r.result !== undefined) this.file.onMerge?.(r.result);
    if (r.output !== '') ctx.output(r.output);
    if (r.exit !== null) ctx.exit(r.exit);
  }
}
