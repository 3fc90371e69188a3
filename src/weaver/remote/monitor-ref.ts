import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, MscopeError } from '../../core/index.js';

/**
 * Monitor code that runs on the other side of the shm or message binding. A closure cannot
 * cross threads, so the monitor is named by module: it exports
 * `createMonitor(options): { handle(event): void; flush?(): unknown }`.
 * `flush` returns what was aggregated since the previous flush (a delta the owner merges).
 * The module may also export `prepare(options): Promise<void>`, awaited once per host
 * before it reports ready (the watchdog's startup limit applies, not the batch deadline).
 */
export interface MonitorRef {
  /** Absolute path or file URL. */
  readonly module: string;
  /** Structured-clonable; passed to createMonitor. */
  readonly options?: unknown;
}

export interface RemoteMonitor {
  handle(event: unknown): void;
  flush?(): unknown;
}

export function monitorUrl(ref: MonitorRef): string {
  if (ref.module.startsWith('file:')) return ref.module;
  if (!isAbsolute(ref.module)) {
    throw new MscopeError(ErrorCode.BadMonitor, `remote monitor module "${ref.module}" must be an absolute path or a file URL`);
  }
  return pathToFileURL(ref.module).href;
}

/** Identifies the consumer a ref shares: same module and same options. */
export function monitorKey(ref: MonitorRef): string {
  return `${monitorUrl(ref)}\0${JSON.stringify(ref.options ?? null)}`;
}

export function isTypeScript(url: string): boolean {
  return /\.[mc]?tsx?$/.test(url);
}

/** Loads TypeScript hosts and monitors through tsx, a runtime dependency. */
export function tsxApiUrl(): string {
  return import.meta.resolve('tsx/esm/api');
}

export function tsxLoaderUrl(): string {
  return import.meta.resolve('tsx');
}
