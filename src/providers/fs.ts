import fs from 'node:fs';
import { nowNs, type Probe, internalWork } from '../core/index.js';
import type { FsOp } from './catalogue.js';
import { declare, emit, errorCode, HookGroup } from './hooks.js';
import { FunctionPatch, type AnyFunction } from './patch.js';

/**
 * `fs:OP:FORM:op-start|op-done`, FORM one of `sync`, `callback`, `promise`. Node publishes
 * no fs channels, so enabling a probe replaces that one function on `fs` / `fs.promises`
 * with a wrapper and re-syncs the ESM named exports; disabling puts the original back.
 * Code that copied a function before the probe was enabled (`const { readFile } =
 * require('fs')` at load time) keeps the original and is not seen.
 */
const enum Result {
  None,
  Fd,
  BytesRead,
  BytesWritten,
  Contents,
  DataArg,
}

const OPS: Readonly<Record<string, Result>> = {
  open: Result.Fd,
  close: Result.None,
  read: Result.BytesRead,
  write: Result.BytesWritten,
  readFile: Result.Contents,
  writeFile: Result.DataArg,
  appendFile: Result.DataArg,
  stat: Result.None,
  lstat: Result.None,
  fstat: Result.None,
  readdir: Result.None,
  mkdir: Result.None,
  mkdtemp: Result.None,
  rmdir: Result.None,
  rm: Result.None,
  unlink: Result.None,
  rename: Result.None,
  access: Result.None,
  copyFile: Result.None,
  readlink: Result.None,
  realpath: Result.None,
  truncate: Result.None,
  ftruncate: Result.None,
  fsync: Result.None,
  chmod: Result.None,
  utimes: Result.None,
  symlink: Result.None,
  link: Result.None,
  opendir: Result.None,
};

export const FS_FORMS = ['sync', 'callback', 'promise'] as const;
type Form = (typeof FS_FORMS)[number];

class FsSite {
  constructor(
    readonly op: string,
    readonly form: Form,
    readonly result: Result,
    readonly start: Probe,
    readonly done: Probe,
  ) {}
}

/** Nested sync calls (readFileSync calls fs.openSync through the module object) are not probed twice. */
let syncDepth = 0;
let registered = false;

export function registerFs(): void {
  if (registered) return;
  registered = true;
  const promises = fs.promises as unknown as Record<string, unknown>;
  const api = fs as unknown as Record<string, unknown>;
  for (const [op, result] of Object.entries(OPS)) {
    for (const form of FS_FORMS) {
      const target = form === 'promise' ? promises : api;
      const key = form === 'sync' ? `${op}Sync` : op;
      if (typeof target[key] !== 'function') continue;
      const start = declare('fs', op, form, 'op-start', 'fs_op_t');
      const done = declare('fs', op, form, 'op-done', 'fs_op_t');
      const site = new FsSite(op, form, result, start, done);
      const patch = new FunctionPatch(target, key, (fn) => makeWrapper(site, fn));
      const group = new HookGroup(
        () => patch.install(),
        () => patch.uninstall(),
      );
      group.add(start);
      group.add(done);
    }
  }
}

function makeWrapper(site: FsSite, fn: AnyFunction): AnyFunction {
  if (site.form === 'sync') {
    return function (this: unknown, ...args: unknown[]): unknown {
      if (syncDepth !== 0 || internalWork.depth !== 0 || !(site.start.enabled || site.done.enabled)) return Reflect.apply(fn, this, args);
      const t0 = begin(site, args);
      let value: unknown;
      syncDepth++;
      try {
        value = Reflect.apply(fn, this, args);
      } catch (error) {
        syncDepth--;
        end(site, args, t0, undefined, error);
        throw error;
      }
      syncDepth--;
      end(site, args, t0, value, null);
      return value;
    };
  }
  if (site.form === 'callback') {
    return function (this: unknown, ...args: unknown[]): unknown {
      const last = args.length - 1;
      const cb = args[last];
      if (typeof cb !== 'function' || !(site.start.enabled || site.done.enabled)) return Reflect.apply(fn, this, args);
      const t0 = begin(site, args);
      args[last] = function (this: unknown, error: unknown, value: unknown): unknown {
        end(site, args, t0, value, error);
        // eslint-disable-next-line prefer-rest-params -- every callback argument, unchanged
        return Reflect.apply(cb as AnyFunction, this, arguments);
      };
      return Reflect.apply(fn, this, args);
    };
  }
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!(site.start.enabled || site.done.enabled)) return Reflect.apply(fn, this, args);
    const t0 = begin(site, args);
    // Chained, not observed: a handler on the original promise would hide an unhandled rejection.
    return (Reflect.apply(fn, this, args) as Promise<unknown>).then(
      (value) => {
        end(site, args, t0, value, null);
        return value;
      },
      (error: unknown) => {
        end(site, args, t0, undefined, error);
        throw error;
      },
    );
  };
}

function record(site: FsSite, args: readonly unknown[]): FsOp {
  const first = args[0];
  let path = '';
  let fd = -1;
  if (typeof first === 'string') path = first;
  else if (typeof first === 'number') fd = first;
  else if (first instanceof URL) path = first.pathname;
  else if (Buffer.isBuffer(first)) path = first.toString();
  else if (first !== null && typeof first === 'object' && typeof (first as { fd?: unknown }).fd === 'number') {
    fd = (first as { fd: number }).fd;
  }
  return { op: site.op, form: site.form, path, fd, bytes: 0, latency_ns: 0, error: '' };
}

function begin(site: FsSite, args: readonly unknown[]): number {
  if (site.start.enabled) emit(site.start, record(site, args));
  return nowNs();
}

function end(site: FsSite, args: readonly unknown[], t0: number, value: unknown, error: unknown): void {
  if (!site.done.enabled) return;
  const r = record(site, args);
  r.latency_ns = nowNs() - t0;
  if (error !== null && error !== undefined) {
    r.error = errorCode(error);
  } else {
    fillResult(r, site.result, value, args);
  }
  emit(site.done, r);
}

function fillResult(r: FsOp, kind: Result, value: unknown, args: readonly unknown[]): void {
  switch (kind) {
    case Result.Fd:
      r.fd = typeof value === 'number' ? value : ((value as { fd?: number } | null)?.fd ?? -1);
      break;
    case Result.BytesRead:
      r.bytes = typeof value === 'number' ? value : ((value as { bytesRead?: number } | null)?.bytesRead ?? 0);
      break;
    case Result.BytesWritten:
      r.bytes = typeof value === 'number' ? value : ((value as { bytesWritten?: number } | null)?.bytesWritten ?? 0);
      break;
    case Result.Contents:
      r.bytes = byteLength(value);
      break;
    case Result.DataArg:
      r.bytes = byteLength(args[1]);
      break;
    case Result.None:
      break;
  }
}

function byteLength(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (ArrayBuffer.isView(v)) return v.byteLength;
  return 0;
}
