import fs from 'node:fs';
import { nowNs, type Probe, internalWork } from '../core/index.js';
import type { FsOp } from './catalogue.js';
import { declare, emit, errorCode, HookGroup } from './hooks.js';
import { copyIdentity, FunctionPatch, type AnyFunction } from './patch.js';

/**
 * `fs:OP:FORM:op-start|op-done`, FORM one of `sync`, `callback`, `promise`, `filehandle`. Node publishes
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
  // A WriteStream writes what it buffered while opening, or while a write was in flight, with writev.
  readv: Result.BytesRead,
  writev: Result.BytesWritten,
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

export const FS_FORMS = ['sync', 'callback', 'promise', 'filehandle'] as const;
type Form = (typeof FS_FORMS)[number];

/** FileHandle methods and the op each one is reported as (`fh.stat()` is an fstat). */
const FILEHANDLE_OPS: Readonly<Record<string, string>> = {
  read: 'read',
  write: 'write',
  readv: 'readv',
  writev: 'writev',
  readFile: 'readFile',
  writeFile: 'writeFile',
  appendFile: 'appendFile',
  stat: 'fstat',
  truncate: 'ftruncate',
  sync: 'fsync',
  datasync: 'fsync',
  chmod: 'chmod',
  utimes: 'utimes',
  close: 'close',
};

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

/**
 * FileHandle methods live on a prototype Node does not export: it is taken from the first
 * handle `fs.promises.open` returns while a filehandle probe is enabled, and only handles
 * the program got from that call are reported (not the ones `fs.promises.readFile` opens
 * for itself, whose close is part of readFile).
 */
const userHandles = new WeakSet<object>();
interface HandleMethod {
  readonly key: string;
  readonly site: FsSite;
  group: HookGroup;
  patch: FunctionPatch | null;
}
const handlePatches: HandleMethod[] = [];
let handleProto: Record<string, unknown> | null = null;

const noop = (): void => {};

function trackingHandles(): boolean {
  for (const h of handlePatches) if (h.group.installed) return true;
  return false;
}

function trackHandle(handle: unknown): void {
  if (handle === null || typeof handle !== 'object') return;
  userHandles.add(handle);
  // `close` is an own arrow function of each handle, not a prototype method.
  for (const h of handlePatches) if (Object.hasOwn(handle, h.key)) wrapOwnMethod(handle as Record<string, unknown>, h.key, h.site);
  if (handleProto !== null) return;
  handleProto = Object.getPrototypeOf(handle) as Record<string, unknown>;
  for (const h of handlePatches) {
    if (typeof handleProto[h.key] !== 'function') continue;
    h.patch = new FunctionPatch(handleProto, h.key, (fn) => makeWrapper(h.site, fn));
    if (h.group.installed) h.patch.install();
  }
}

export function registerFs(): void {
  if (registered) return;
  registered = true;
  const promises = fs.promises as unknown as Record<string, unknown>;
  const api = fs as unknown as Record<string, unknown>;
  const handleProbes: Probe[] = [];
  for (const [key, op] of Object.entries(FILEHANDLE_OPS)) {
    const start = declare('fs', op, 'filehandle', 'op-start', 'fs_op_t');
    const done = declare('fs', op, 'filehandle', 'op-done', 'fs_op_t');
    const site = new FsSite(op, 'filehandle', OPS[op]!, start, done);
    const entry: HandleMethod = { key, site, patch: null, group: new HookGroup(noop, noop) };
    entry.group = new HookGroup(
      () => entry.patch?.install(),
      () => entry.patch?.uninstall(),
    );
    entry.group.add(start);
    entry.group.add(done);
    handlePatches.push(entry);
    handleProbes.push(start, done);
  }
  for (const [op, result] of Object.entries(OPS)) {
    for (const form of FS_FORMS) {
      if (form === 'filehandle') continue;
      const target = form === 'promise' ? promises : api;
      const key = form === 'sync' ? `${op}Sync` : op;
      if (typeof target[key] !== 'function') continue;
      const start = declare('fs', op, form, 'op-start', 'fs_op_t');
      const done = declare('fs', op, form, 'op-done', 'fs_op_t');
      const site = new FsSite(op, form, result, start, done);
      const wrap = op === 'open' && form === 'promise' ? openWrapper : makeWrapper;
      const patch = new FunctionPatch(target, key, (fn) => wrap(site, fn));
      const group = new HookGroup(
        () => patch.install(),
        () => patch.uninstall(),
      );
      group.add(start);
      group.add(done);
      // Handles are tracked (through this wrapper) while any filehandle probe is enabled.
      if (op === 'open' && form === 'promise') for (const p of handleProbes) group.add(p);
    }
  }
}

/** Inert while the site's probes are disabled; stays on the handle, which the program discards. */
function wrapOwnMethod(handle: Record<string, unknown>, key: string, site: FsSite): void {
  const desc = Object.getOwnPropertyDescriptor(handle, key)!;
  if (typeof desc.value !== 'function' || desc.writable !== true) return;
  const traced = makeWrapper(site, desc.value as AnyFunction);
  const wrapper = copyIdentity(function (this: unknown, ...args: unknown[]): unknown {
    return Reflect.apply(traced, handle, args);
  }, desc.value as AnyFunction);
  Object.defineProperty(handle, key, { ...desc, value: wrapper });
}

/** `fs.promises.open`: its probes, and the handles it returns while FileHandles are traced. */
function openWrapper(site: FsSite, fn: AnyFunction): AnyFunction {
  const traced = makeWrapper(site, fn);
  return function (this: unknown, ...args: unknown[]): unknown {
    const p = Reflect.apply(traced, this, args) as Promise<unknown>;
    if (!trackingHandles()) return p;
    return p.then((handle) => {
      trackHandle(handle);
      return handle;
    });
  };
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
  const handle = site.form === 'filehandle';
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!(site.start.enabled || site.done.enabled) || (handle && !userHandles.has(this as object))) return Reflect.apply(fn, this, args);
    const fd = handle ? ((this as { fd?: number }).fd ?? -1) : -1;
    const t0 = begin(site, args, fd);
    // Chained, not observed: a handler on the original promise would hide an unhandled rejection.
    return (Reflect.apply(fn, this, args) as Promise<unknown>).then(
      (value) => {
        end(site, args, t0, value, null, fd);
        return value;
      },
      (error: unknown) => {
        end(site, args, t0, undefined, error, fd);
        throw error;
      },
    );
  };
}

/** `handleFd`: a FileHandle method's handle fd, taken at the call (close sets it to −1). */
function record(site: FsSite, args: readonly unknown[], handleFd: number): FsOp {
  const first = args[0];
  let path = '';
  let fd = -1;
  if (site.form === 'filehandle') fd = handleFd;
  else if (typeof first === 'string') path = first;
  else if (typeof first === 'number') fd = first;
  else if (first instanceof URL) path = first.pathname;
  else if (Buffer.isBuffer(first)) path = first.toString();
  else if (first !== null && typeof first === 'object' && typeof (first as { fd?: unknown }).fd === 'number') {
    fd = (first as { fd: number }).fd;
  }
  return { op: site.op, form: site.form, path, fd, bytes: 0, latency_ns: 0, error: '' };
}

function begin(site: FsSite, args: readonly unknown[], handleFd = -1): number {
  if (site.start.enabled) emit(site.start, record(site, args, handleFd));
  return nowNs();
}

function end(site: FsSite, args: readonly unknown[], t0: number, value: unknown, error: unknown, handleFd = -1): void {
  if (!site.done.enabled) return;
  const r = record(site, args, handleFd);
  r.latency_ns = nowNs() - t0;
  if (error !== null && error !== undefined) {
    r.error = errorCode(error);
  } else {
    fillResult(r, site.result, value, site.form === 'filehandle' ? args[0] : args[1]);
  }
  emit(site.done, r);
}

/** `data`: what writeFile/appendFile were given to write. */
function fillResult(r: FsOp, kind: Result, value: unknown, data: unknown): void {
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
      r.bytes = byteLength(data);
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
