import type { ProbeEvent } from '../../core/index.js';
import type { Monitor } from '../../weaver/index.js';
import type { MonitorOutput } from './define-monitor.js';
import type { LoadedMonitorFile } from './monitor-file.js';
import { loadMonitorFile } from './monitor-file.js';
import type { AgentContext, AgentMonitor } from './types.js';

/** A `--monitor` file as an agent monitor: its handlers are linked, `onExit` runs at exit. */
export class TsMonitor implements AgentMonitor {
  private out: MonitorOutput | null = null;

  constructor(private readonly file: LoadedMonitorFile) {}

  static async load(path: string, name: string): Promise<TsMonitor> {
    return new TsMonitor(await loadMonitorFile(path, name));
  }

  start(ctx: AgentContext): void {
    const out: MonitorOutput = { write: (text) => ctx.output(text), exit: (code) => ctx.exit(code) };
    const binding = ctx.binding ?? this.file.binding;
    for (const { description, handler } of this.file.links) {
      const monitor = handler.length >= 2 ? (ev: ProbeEvent) => handler(ev, out) : (handler as Monitor);
      ctx.link(description, monitor, binding === undefined ? {} : { binding });
    }
    this.out = out;
  }

  /** Results of a TypeScript monitor are text printed by `onExit`, so there is no delta. */
  flush(): unknown {
    return undefined;
  }

  finish(): unknown {
    if (this.file.onExit !== undefined && this.out !== null) this.file.onExit(this.out);
    return undefined;
  }
}
