import type { LoadedMonitorFile } from './monitor-file.js';
import { loadMonitorFile } from './monitor-file.js';
import type { AgentContext, AgentMonitor } from './types.js';

/** A `--monitor` file as an agent monitor: its handlers are linked, `onExit` runs at exit. */
export class TsMonitor implements AgentMonitor {
  private ctx: AgentContext | null = null;

  constructor(private readonly file: LoadedMonitorFile) {}

  static async load(path: string, name: string): Promise<TsMonitor> {
    return new TsMonitor(await loadMonitorFile(path, name));
  }

  start(ctx: AgentContext): void {
    this.ctx = ctx;
    const binding = ctx.binding ?? this.file.binding;
    for (const l of this.file.links) ctx.link(l.description, l.handler, binding === undefined ? {} : { binding });
  }

  /** Results of a TypeScript monitor are text printed by `onExit`, so there is no delta. */
  flush(): unknown {
    return undefined;
  }

  finish(): unknown {
    const ctx = this.ctx;
    if (this.file.onExit !== undefined && ctx !== null) this.file.onExit({ write: (text) => ctx.output(text) });
    return undefined;
  }
}
