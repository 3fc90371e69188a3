import type { Server, Socket } from 'node:net';
import fs, { type FSWatcher } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCode, MscopeError } from '../core/errors.js';
import { claimPrivateDir, effectiveUid, notPrivateDir } from '../core/private-dir.js';
import { processAlive } from '../core/process-alive.js';
import { onProcess } from '../core/process-listeners.js';

import type { LinkHandle } from './link.js';
import { BINDING_KINDS, type BindingKind } from './types.js';

// Taken at load: the fs provider must never see the control socket's own housekeeping.
const { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, utimesSync, watch, writeFileSync } = fs;

export type NetModule = typeof import('node:net');
let net: Promise<NetModule> | null = null;

/**
 * node:net is loaded by the first socket, served or dialled: its listen loads cluster,
 * child_process and dgram (2.4 MB of RSS on Node 20), which a traced process nobody queries never needs.
 */
function loadNet(): Promise<NetModule> {
  return (net ??= import('node:net'));
}

/**
 * One line of JSON each way. `attach` and `detach` are served only where a higher layer
 * registered them (`serveControlOp`): the standalone preload accepts `attach`, an attached
 * agent `detach`. Their fields are checked by that handler.
 */
export type ControlRequest =
  | { op: 'links' }
  | { op: 'relink'; link: number; binding: BindingKind }
  | { op: 'attach'; request: Record<string, unknown> }
  | { op: 'detach' };

export interface LinkInfo {
  readonly id: number;
  readonly description: string;
  readonly binding: BindingKind;
  readonly events: number;
  readonly drops: number;
  readonly faults: number;
}

/** How a spliced probe of an attached process runs (`live edit`, `breakpoint (N hits left)`). */
export interface ProbeMechanism {
  readonly probe: string;
  readonly mechanism: string;
}

export type ControlResponse = { ok: true; links?: LinkInfo[]; probes?: ProbeMechanism[]; result?: unknown } | { ok: false; error: string };

let mechanisms: (() => ProbeMechanism[]) | null = null;

/** What `links` also answers while an attach has spliced probes; null when it detaches. */
export function serveProbeMechanisms(list: (() => ProbeMechanism[]) | null): void {
  mechanisms = list;
}

/** Serves an op a higher layer adds (the agent cannot be imported from here). */
export type ControlOpHandler = (request: Record<string, unknown>) => Promise<ControlResponse>;

const extraOps = new Map<string, ControlOpHandler>();

/** The requests only a higher layer serves: `attach` and `detach`. */
type ExtraOp = 'attach' | 'detach';

/** Adds (or, with null, removes) the handler of an extra op on this process's control server. */
export function serveControlOp(op: ExtraOp, handler: ControlOpHandler | null): void {
  if (handler === null) extraOps.delete(op);
  else extraOps.set(op, handler);
}

/** A request longer than this is cut off: real ones are under 100 bytes. */
export const MAX_REQUEST_BYTES = 4096;
/** An answer longer than this is refused by the client: a links list of ~50,000 links. */
const MAX_ANSWER_BYTES = 16 << 20;

/** Where this user's control sockets are looked for, in order. */
function controlDirCandidates(): string[] {
  const base = process.env.XDG_RUNTIME_DIR;
  const uid = effectiveUid() ?? userInfo().uid;
  return [...(base ? [join(base, 'mscope')] : []), join(tmpdir(), `mscope-${uid}`)];
}

/** The private directories a fallback server may have made: `<tmpdir>/mscope-<uid>-XXXXXX`. */
function fallbackDirs(): string[] {
  const prefix = `mscope-${effectiveUid() ?? userInfo().uid}-`;
  try {
    return readdirSync(tmpdir())
      .filter((n) => n.startsWith(prefix))
      .map((n) => join(tmpdir(), n));
  } catch {
    return [];
  }
}

/**
 * The per-user directory holding control sockets: `$XDG_RUNTIME_DIR/mscope` or
 * `os.tmpdir()/mscope-<uid>`, mode 0700 and owned by this user, so only the same user can
 * connect. When another user has taken both, a fresh `mscope-<uid>-XXXXXX` is made instead:
 * squatting on the name must not switch tracing off.
 */
export function controlDir(): string {
  for (const dir of controlDirCandidates()) if (claimPrivateDir(dir) === null) return dir;
  const dir = mkdtempSync(join(tmpdir(), `mscope-${effectiveUid() ?? userInfo().uid}-`));
  onProcess('exit', () => rmSync(dir, { recursive: true, force: true }), 'once');
  return dir;
}

/** Where process `pid`'s socket is, searching every private directory it may be in. */
export function controlPath(pid: number): string {
  return findInControlDirs(`${pid}.sock`, (st) => st.isSocket()) ?? join(controlDirCandidates()[0]!, `${pid}.sock`);
}

/** The first file called `name` in this user's private control directories that `is` accepts. */
function findInControlDirs(name: string, is: (st: fs.Stats) => boolean): string | null {
  for (const dir of [...controlDirCandidates(), ...fallbackDirs()]) {
    if (notPrivateDir(dir) !== null) continue;
    const path = join(dir, name);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st !== undefined && is(st)) return path;
  }
  return null;
}

/** The file a process that offers its socket leaves where the socket would be, for a client to touch. */
function wakeFileName(pid: number): string {
  return `${pid}.wake`;
}

let swept = false;

/**
 * Removes the wake files and sockets that processes which are gone left in `dir` (a SIGKILL
 * runs no exit handler), once per process that serves: they would gather there for good, and a
 * later process given the same pid would look traced to `mscope links`.
 */
function removeLeftovers(dir: string): void {
  if (swept) return;
  swept = true;
  // A leftover that cannot be listed or removed costs a file and nothing else: serving matters more.
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^(\d+)\.(?:wake|sock)$/.exec(name);
    if (m === null || processAlive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { force: true });
    } catch {
      // As above.
    }
  }
}

let offer: { readonly marker: string; readonly watcher: FSWatcher; readonly removeAtExit: () => void } | null = null;

/**
 * Serves the control socket once a client first asks for it: a traced process nobody queries
 * never loads node:net. The process leaves `<pid>.wake` in its private control directory and
 * watches the directory; `controlRequest` touches the file, and the socket is up a few ms later.
 * Where the directory cannot be watched, the socket starts at once. `failed`: why it did not start.
 */
export function offerControlServer(failed: (error: unknown) => void): void {
  if (server !== null || offer !== null) return;
  const dir = controlDir();
  removeLeftovers(dir);
  const name = wakeFileName(process.pid);
  const marker = join(dir, name);
  const wake = (): void => {
    withdrawOffer();
    startControlServer(dir).catch(failed);
  };
  let watcher: FSWatcher;
  try {
    writeFileSync(marker, '', { mode: 0o600 });
    // Not persistent: the watch never keeps the process alive.
    watcher = watch(dir, { persistent: false }, (_event, file) => {
      if (file === name) wake();
    });
  } catch {
    // No inotify instance left (fs.inotify.max_user_instances), or no room for the file.
    rmSync(marker, { force: true });
    startControlServer(dir).catch(failed);
    return;
  }
  watcher.on('error', wake);
  const removeAtExit = (): void => rmSync(marker, { force: true });
  onProcess('exit', removeAtExit, 'once');
  offer = { marker, watcher, removeAtExit };
}

function withdrawOffer(): void {
  const o = offer;
  if (o === null) return;
  offer = null;
  o.watcher.close();
  process.removeListener('exit', o.removeAtExit);
  o.removeAtExit();
}

let server: { readonly server: Server; readonly path: string; readonly removeAtExit: () => void; ready: Promise<void> } | null = null;

/**
 * Starts this process's control server in `dir` (by default this user's control directory);
 * unref'd, so it never keeps the process alive. With `netModule` (a preload that required it) the
 * socket exists when this returns, before the program's main module runs.
 */
export async function startControlServer(dir?: string, netModule?: NetModule): Promise<string> {
  if (server !== null) {
    await server.ready;
    return server.path;
  }
  withdrawOffer();
  const path = join(dir ?? controlDir(), `${process.pid}.sock`);
  removeLeftovers(dirname(path));
  // Given node:net, nothing is awaited before listen(), which binds the socket synchronously.
  if (netModule !== undefined) net ??= Promise.resolve(netModule);
  const { createServer, Socket } = netModule ?? (await loadNet());
  if (server !== null) return startControlServer();
  socketDestroy ??= (Socket.prototype as unknown as { _destroy: DestroyFn })._destroy;
  rmSync(path, { force: true });
  const s = createServer(serveConnection);
  s.maxConnections = 8;
  s.unref();
  const removeAtExit = (): void => rmSync(path, { force: true });
  onProcess('exit', removeAtExit, 'once');
  const ready = new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    // Exclusive: in a cluster worker a listen otherwise asks the primary for the handle, and a
    // primary answering a worker that has already exited dies of EPIPE.
    s.listen({ path, exclusive: true }, () => resolve());
  }).then(() => chmodSync(path, 0o600));
  server = { server: s, path, removeAtExit, ready };
  await ready;
  return path;
}

/** Whether this process serves a control socket (the preload's, or an attached agent's). */
export function controlServerRunning(): boolean {
  return server !== null;
}

/**
 * Stops serving and removes the socket, as detach does for the server it started: nothing of
 * ours is left listening. A connection being answered finishes first.
 */
export function stopControlServer(): void {
  withdrawOffer();
  const s = server;
  if (s === null) return;
  server = null;
  process.removeListener('exit', s.removeAtExit);
  s.server.close();
  rmSync(s.path, { force: true });
}

type DestroyFn = (this: Socket, error: Error | null, callback: (error?: Error | null) => void) => void;
let socketDestroy: DestroyFn | null = null;

/**
 * Node's Socket#_destroy reads `process.stderr`, which creates the program's stderr stream
 * if it had none yet: an attach then detach would leave a pipe the program never opened.
 * Our sockets close with `process.stderr` shadowed for that one synchronous call.
 */
function leaveStderrUncreated(socket: Socket): void {
  (socket as unknown as { _destroy: DestroyFn })._destroy = function (error, callback) {
    const stderr = Object.getOwnPropertyDescriptor(process, 'stderr');
    if (stderr === undefined || !stderr.configurable) return socketDestroy!.call(this, error, callback);
    Object.defineProperty(process, 'stderr', { value: undefined, configurable: true, enumerable: stderr.enumerable, writable: true });
    try {
      socketDestroy!.call(this, error, callback);
    } finally {
      Object.defineProperty(process, 'stderr', stderr);
    }
  };
}

/** One client: lines of JSON in, one answer line per request out; nothing it sends can throw here. */
function serveConnection(socket: Socket): void {
  leaveStderrUncreated(socket);
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  const reply = (r: ControlResponse): void => {
    if (!socket.writable) return;
    socket.write(`${JSON.stringify(r)}\n`);
    // A client that sends requests but never reads its answers is dropped, not buffered for.
    if (socket.writableLength > MAX_ANSWER_BYTES) socket.destroy();
  };
  socket.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      answer(line).then(reply, (e: unknown) => reply({ ok: false, error: `internal error: ${String(e)}` }));
    }
    if (Buffer.byteLength(buf) > MAX_REQUEST_BYTES) {
      buf = '';
      reply({ ok: false, error: `request too long (over ${MAX_REQUEST_BYTES} bytes without a newline)` });
      socket.removeAllListeners('data');
      socket.end(() => socket.destroy());
    }
  });
}

/** The request a line stands for, or why it is not one. Client bytes are never trusted as typed. */
export function parseRequest(line: string): ControlRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'request is not JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'request is not a JSON object';
  const req = v as Record<string, unknown>;
  if (req.op === 'links') return { op: 'links' };
  if (req.op === 'detach') return { op: 'detach' };
  if (req.op === 'attach') return { op: 'attach', request: req };
  if (req.op === 'relink') {
    const { link, binding } = req;
    if (typeof link !== 'number' || !Number.isSafeInteger(link) || link <= 0) return 'relink: "link" must be a positive integer';
    if (typeof binding !== 'string' || !BINDING_KINDS.includes(binding as BindingKind)) {
      return `relink: "binding" must be one of ${BINDING_KINDS.join(', ')}`;
    }
    return { op: 'relink', link, binding: binding as BindingKind };
  }
  return `unknown op; expected "links", "relink", "attach" or "detach"`;
}

const NOT_SERVED: Record<ExtraOp, string> = {
  attach: 'this process is already traced by mscope',
  detach: 'this process is not attached',
};

async function answer(line: string): Promise<ControlResponse> {
  const req = parseRequest(line);
  if (typeof req === 'string') return { ok: false, error: req };
  if (req.op === 'attach' || req.op === 'detach') {
    const handler = extraOps.get(req.op);
    if (handler === undefined) return { ok: false, error: NOT_SERVED[req.op] };
    return handler(req.op === 'attach' ? req.request : {});
  }
  // Imported at the first request: a process preloaded with nothing linked loads only this file and its socket.
  const { links } = await import('./link.js');
  if (req.op === 'links') {
    const probes = mechanisms?.() ?? [];
    return probes.length === 0 ? { ok: true, links: links().map(info) } : { ok: true, links: links().map(info), probes };
  }
  const h = links().find((l) => l.id === req.link);
  if (h === undefined) return { ok: false, error: `no link ${req.link}` };
  try {
    await h.relink({ binding: req.binding });
    return { ok: true, links: [info(h)] };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function info(h: LinkHandle): LinkInfo {
  const s = h.stats;
  return { id: h.id, description: h.description.text, binding: h.bindingKind, events: s.events, drops: s.drops, faults: s.faults };
}

/** How often a client touches a process's wake file while it waits for the socket. */
const WAKE_EVERY_MS = 250;
/** How often it tries the socket meanwhile. */
const WAKE_POLL_MS = 10;

/**
 * Sends one request to process `pid`'s control server and returns its answer. A process that
 * offers its socket (`offerControlServer`) is woken first.
 */
export async function controlRequest(pid: number, request: ControlRequest, timeoutMs = 10_000): Promise<ControlResponse> {
  const path = controlPath(pid);
  try {
    return await ask(path, pid, request, timeoutMs);
  } catch (error) {
    const marker = noSocket(error) ? findInControlDirs(wakeFileName(pid), (st) => st.isFile()) : null;
    if (marker === null) throw noAnswer(error, path, pid);
    return askAfterWaking(marker, pid, request, timeoutMs);
  }
}

async function askAfterWaking(marker: string, pid: number, request: ControlRequest, timeoutMs: number): Promise<ControlResponse> {
  const path = join(dirname(marker), `${pid}.sock`);
  const until = Date.now() + timeoutMs;
  let touched = 0;
  for (;;) {
    if (Date.now() - touched >= WAKE_EVERY_MS) {
      touched = Date.now();
      try {
        utimesSync(marker, new Date(), new Date());
      } catch {
        // Gone: the process started its socket (it removes the file first), or exited.
      }
    }
    try {
      return await ask(path, pid, request, timeoutMs);
    } catch (error) {
      if (!noSocket(error) || !processAlive(pid)) throw noAnswer(error, path, pid);
      if (Date.now() >= until) {
        const why = `process ${pid} did not start its mscope control socket within ${timeoutMs} ms of being asked (is its event loop blocked?)`;
        throw new MscopeError(ErrorCode.BadUsage, why, { cause: error });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, WAKE_POLL_MS));
  }
}

function noSocket(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

/** A failed request as the one-line error its caller prints. */
function noAnswer(error: unknown, path: string, pid: number): MscopeError {
  if (error instanceof MscopeError) return error;
  // A traced process whose monitors all run in mscope (BEGIN, END, tick only) serves no socket either.
  const why = noSocket(error)
    ? `process ${pid} has no mscope control socket (${path}): it is not traced, or it links no monitor of its own`
    : (error as Error).message;
  return new MscopeError(ErrorCode.BadUsage, why, { cause: error });
}

/** As controlRequest, to the socket at `path` (an attached agent said where it listens). */
export async function controlRequestAt(path: string, pid: number, request: ControlRequest, timeoutMs = 10_000): Promise<ControlResponse> {
  try {
    return await ask(path, pid, request, timeoutMs);
  } catch (error) {
    throw noAnswer(error, path, pid);
  }
}

/** One request on a new connection; a connection that fails rejects with its own error. */
async function ask(path: string, pid: number, request: ControlRequest, timeoutMs: number): Promise<ControlResponse> {
  const { createConnection } = await loadNet();
  const line = request.op === 'attach' ? { ...request.request, op: 'attach' } : request;
  return new Promise((resolve, reject) => {
    const sock = createConnection(path);
    let buf = '';
    sock.setEncoding('utf8');
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no answer from process ${pid} within ${timeoutMs} ms`)));
    sock.on('connect', () => sock.write(`${JSON.stringify(line)}\n`));
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        sock.end();
        const r = parseResponse(buf.slice(0, nl));
        if (typeof r === 'string') reject(new MscopeError(ErrorCode.BadUsage, `process ${pid} answered ${r}`));
        else resolve(r);
      } else if (buf.length > MAX_ANSWER_BYTES) {
        sock.destroy(new Error(`the answer of process ${pid} is over ${MAX_ANSWER_BYTES} bytes`));
      }
    });
    sock.on('error', reject);
  });
}

function parseResponse(line: string): ControlResponse | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'with something that is not JSON';
  }
  if (typeof v !== 'object' || v === null || typeof (v as { ok?: unknown }).ok !== 'boolean') return 'with something that is not an answer';
  const r = v as ControlResponse;
  if (!r.ok && typeof r.error !== 'string') return 'an error without a message';
  if (r.ok && r.links !== undefined && !Array.isArray(r.links)) return 'a links list that is not a list';
  return r;
}
