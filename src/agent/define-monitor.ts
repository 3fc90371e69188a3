import type { ProbeEvent } from '../core/index.js';
import type { LinkOptions } from '../weaver/index.js';

/** Handed to handlers and `onExit`: output goes to mscope's stdout, not the application's. */
export interface MonitorOutput {
  write(text: string): void;
  /** Stops tracing: this process's `onExit` runs now, and mscope ends CMD and exits with `code`. */
  exit(code?: number): void;
}

/** A handler that declares the second parameter is called with it; others are linked as they are. */
export type EventHandler = (event: ProbeEvent, out: MonitorOutput) => void;

/**
 * How a monitor file's handlers are linked, declared beside them (docs/BINDINGS.md):
 * `binding` (`-b` on the command line wins), and two promises that let a direct probe site
 * allocate nothing per firing. `keepsEvents: false`: no handler keeps an event (or tells
 * firings apart by its identity) after it returns; an event kept anyway is overwritten by
 * the next firing. `readsArgs: false`: no handler reads `args`; they are then empty.
 * `readsThis: false`: no handler reads `thisArg` (the message binding then copies none).
 * `readsEvent: false`: no handler reads more of an event than `probe`; the rest is then stale.
 */
export type MonitorLinkOptions = Pick<LinkOptions, 'binding' | 'keepsEvents' | 'readsArgs' | 'readsThis' | 'readsEvent'>;

/**
 * A TypeScript monitor: the probes it wants and its handlers. `onEntry`, `onReturn` and
 * `onError` receive the events of probes with that name, `onEvent` those of every other
 * probe (and of entry/return/error when their own handler is absent). `onExit` runs once
 * in each traced process when it exits.
 *
 * Bound by shm or message (`-b`, `binding`, or `mscope relink`), the handlers run in a
 * worker, in the worker's own copy of this module, on copies of the events (see
 * docs/BINDINGS.md): what they store there is not what `onExit` sees. So a monitor meant
 * for those bindings exports `onFlush()`, called in the worker about every 100 ms and when
 * the link leaves the binding, returning what was gathered since the previous call
 * (structured-clonable), and `onMerge(result)`, called with it in the traced process, where
 * `onExit` then prints the merged state. `out.write` and `out.exit` work in the worker too
 * (the text reaches mscope at the next flush).
 */
export interface MonitorDefinition extends MonitorLinkOptions {
  probes: string | readonly string[];
  onEntry?: EventHandler;
  onReturn?: EventHandler;
  onError?: EventHandler;
  onEvent?: EventHandler;
  onExit?: (out: MonitorOutput) => void;
  /** In the worker of a shm or message link: what was gathered since the last call, then forgotten. */
  onFlush?: () => unknown;
  /** In the traced process: folds one `onFlush` result into the state `onExit` prints. */
  onMerge?: (result: unknown) => void;
}

/** Identity at run time; gives a monitor file's default export its type. */
export function defineMonitor<T extends MonitorDefinition>(definition: T): T {
  return definition;
}
