import type { ProbeEvent } from '../../core/index.js';
import type { BindingKind } from '../../weaver/index.js';

/** Handed to handlers and `onExit`: output goes to mscope's stdout, not the application's. */
export interface MonitorOutput {
  write(text: string): void;
  /** Stops tracing: this process's `onExit` runs now, and mscope ends CMD and exits with `code`. */
  exit(code?: number): void;
}

/** A handler that declares the second parameter is called with it; others are linked as they are. */
export type EventHandler = (event: ProbeEvent, out: MonitorOutput) => void;

/**
 * A TypeScript monitor: the probes it wants and its handlers. `onEntry`, `onReturn` and
 * `onError` receive the events of probes with that name, `onEvent` those of every other
 * probe (and of entry/return/error when their own handler is absent). `onExit` runs once
 * in each traced process when it exits.
 */
export interface MonitorDefinition {
  probes: string | readonly string[];
  binding?: BindingKind;
  onEntry?: EventHandler;
  onReturn?: EventHandler;
  onError?: EventHandler;
  onEvent?: EventHandler;
  onExit?: (out: MonitorOutput) => void;
}

/** Identity at run time; gives a monitor file's default export its type. */
export function defineMonitor<T extends MonitorDefinition>(definition: T): T {
  return definition;
}
