import type { ProbeEvent } from '../core/index.js';
import { OutputBuffer } from '../weaver/remote/output-buffer.js';
import type { MonitorOutput } from './define-monitor.js';
import { loadMonitorFile, type LoadedMonitorFile } from './monitor-file.js';

/** What the agent passes through a shm or message binding for one link of a `--monitor` file. */
export interface TsRemoteOptions {
  /** Absolute path of the monitor file. */
  readonly file: string;
  /** Its name as given on the command line, for error messages. */
  readonly name: string;
  /** Which of the file's links (LoadedMonitorFile.links) this binding carries. */
  readonly link: number;
}

/** One flush of a remote TypeScript link, merged by TsMonitor in the traced process. */
export interface TsRemoteFlush {
  /** What the file's `onFlush()` returned; undefined when it exports none. */
  readonly result: unknown;
  /** Text the handlers wrote through `out.write` since the previous flush. */
  readonly output: string;
  readonly events: number;
  /** Events not handed to the handler because `output` was full (OutputBuffer). */
  readonly dropped: number;
  readonly exit: number | null;
}

/**
 * The file is imported once per worker (or child process), in `prepare`, because
 * createMonitor must be synchronous. The worker holds one file and one link: the weaver
 * starts a host per module and options, and the options name the link.
 */
let loaded: LoadedMonitorFile | null = null;

export async function prepare(options: TsRemoteOptions): Promise<void> {
  loaded = await loadMonitorFile(options.file, options.name);
}

/**
 * The weaver's remote-monitor entry for a `--monitor` file bound by shm or message: the
 * file's handler for this link runs on the event copies, and each flush carries its
 * `onFlush()` result and any text written, for the traced process to merge and print.
 */
export function createMonitor(options: TsRemoteOptions): { handle(ev: unknown): void; flush(): TsRemoteFlush } {
  const file = loaded;
  const l = file?.links[options.link];
  if (file === null || l === undefined) throw new Error(`monitor ${options.name}: link ${options.link} not found in the worker's copy`);
  const output = new OutputBuffer();
  let exit: number | null = null;
  let exitSent = false;
  let events = 0;
  const out: MonitorOutput = {
    write: (text) => output.write(String(text)),
    exit: (code = 0) => void (exit ??= code),
  };
  const handler = l.handler;
  return {
    handle(ev: unknown): void {
      if (!output.open) return output.refuse();
      // Counted first: an event whose handler throws was still delivered, as in direct.
      events++;
      handler(ev as ProbeEvent, out);
    },
    flush(): TsRemoteFlush {
      const result = file.onFlush?.();
      // exit() is reported once: the traced process acts on it the first time it sees it.
      const r: TsRemoteFlush = { result, ...output.take(), events, exit: exitSent ? null : exit };
      exitSent ||= exit !== null;
      events = 0;
      return r;
    },
  };
}
