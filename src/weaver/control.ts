import { createServer, createConnection, type Server } from 'node:net';
import fs from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, MscopeError } from '../core/index.js';

import { links } from './link.js';
import { BINDING_KINDS, type BindingKind } from './types.js';

// Taken at load: the fs provider must never see the control socket's own housekeeping.
const { chmodSync, lstatSync, mkdirSync, rmSync } = fs;

/** One line of JSON each way. */
export type ControlRequest = { op: 'links' } | { op: 'relink'; link: number; binding: BindingKind };

export interface LinkInfo {
  readonly id: number;
  readonly description: string;
  readonly binding: BindingKind;
  readonly events: number;
  readonly drops: number;
  readonly faults: number;
}

export type ControlResponse = { ok: true; links?: LinkInfo[] } | { ok: false; error: string };

/**
 * The per-user directory holding control sockets: `$XDG_RUNTIME_DIR/mscope` or
 * `os.tmpdir()/mscope-<uid>`, mode 0700, so only the same user can connect.
 */
export function controlDir(): string {
  const base = process.env.XDG_RUNTIME_DIR;
  const dir = base ? join(base, 'mscope') : join(tmpdir(), `mscope-${userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== userInfo().uid) {
    throw new MscopeError(ErrorCode.BadUsage, `control directory ${dir} is not a directory owned by this user`);
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

export function controlPath(pid: number): string {
  return join(controlDir(), `${pid}.sock`);
}

let server: Server | null = null;

/** Starts this process's control server; unref'd, so it never keeps the process alive. */
export function startControlServer(): Promise<string> {
  const path = controlPath(process.pid);
  if (server !== null) return Promise.resolve(path);
  rmSync(path, { force: true });
  const s = createServer((socket) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        void answer(line).then((r) => socket.write(`${JSON.stringify(r)}\n`));
      }
    });
  });
  server = s;
  s.unref();
  process.once('exit', () => rmSync(path, { force: true }));
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(path, () => resolve(path));
  });
}

export function stopControlServer(): Promise<void> {
  const s = server;
  server = null;
  if (s === null) return Promise.resolve();
  return new Promise((resolve) => s.close(() => resolve()));
}

async function answer(line: string): Promise<ControlResponse> {
  let req: ControlRequest;
  try {
    req = JSON.parse(line) as ControlRequest;
  } catch {
    return { ok: false, error: 'request is not JSON' };
  }
  if (req.op === 'links') return { ok: true, links: links().map(info) };
  if (req.op === 'relink') {
    const h = links().find((l) => l.id === req.link);
    if (h === undefined) return { ok: false, error: `no link ${req.link}` };
    if (!BINDING_KINDS.includes(req.binding)) return { ok: false, error: `unknown binding "${req.binding}"` };
    try {
      await h.relink({ binding: req.binding });
      return { ok: true, links: [info(h)] };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
  return { ok: false, error: `unknown op "${(req as { op: unknown }).op}"` };
}

function info(h: ReturnType<typeof links>[number]): LinkInfo {
  const s = h.stats;
  return { id: h.id, description: h.description.text, binding: h.bindingKind, events: s.events, drops: s.drops, faults: s.faults };
}

/** Sends one request to process `pid`'s control server and returns its answer. */
export function controlRequest(pid: number, request: ControlRequest, timeoutMs = 10_000): Promise<ControlResponse> {
  const path = controlPath(pid);
  return new Promise((resolve, reject) => {
    const sock = createConnection(path);
    let buf = '';
    sock.setEncoding('utf8');
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no answer from process ${pid} within ${timeoutMs} ms`)));
    sock.on('connect', () => sock.write(`${JSON.stringify(request)}\n`));
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        sock.end();
        resolve(JSON.parse(buf.slice(0, nl)) as ControlResponse);
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? `process ${pid} has no mscope control socket (${path})` : e.message;
      reject(new MscopeError(ErrorCode.BadUsage, why, { cause: e }));
    });
  });
}
