import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { ErrorCode, MscopeError } from '../core/index.js';

/** What /proc says about a process mscope is asked to attach to (Linux). */
export interface ProcessFacts {
  readonly pid: number;
  /** Real uid, from /proc/PID/status. */
  readonly uid: number;
  readonly gid: number;
  /** The executable, resolved (`/usr/bin/node`). */
  readonly exe: string;
  readonly argv: readonly string[];
  /** NODE_OPTIONS from its environment, where readable. */
  readonly nodeOptions: string;
  /** Whether it catches SIGUSR1 (Node does, to open its inspector): else the signal would kill it. */
  readonly catchesUsr1: boolean;
  /** Field 22 of /proc/PID/stat: tells the process from a later one given the same pid. */
  readonly startTime: string;
  /** Its working directory, resolved; '' when not ours to read. */
  readonly cwd: string;
}

/** A refusal to attach; mscope prints it after the name of the command that attached (attach, top, blocks, explore, run -p). */
export function cannotAttach(message: string, cause?: unknown): MscopeError {
  return new MscopeError(ErrorCode.CannotAttach, message, cause === undefined ? undefined : { cause });
}

function read(pid: number, file: string): string {
  return readFileSync(`/proc/${pid}/${file}`, 'utf8');
}

/** The facts, or a refusal when there is no such process. */
export function processFacts(pid: number): ProcessFacts {
  let status: string;
  try {
    status = read(pid, 'status');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') throw cannotAttach(`no process ${pid}`);
    throw cannotAttach(`cannot read /proc/${pid}/status: ${code ?? String(error)}`, error);
  }
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
  const uid = Number(field('Uid').split(/\s+/)[0]);
  const gid = Number(field('Gid').split(/\s+/)[0]);
  const sigCgt = BigInt(`0x${field('SigCgt') || '0'}`);
  let exe = '';
  let argv: string[] = [];
  let nodeOptions = '';
  let cwd = '';
  try {
    exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
    argv = read(pid, 'cmdline').split('\0').slice(0, -1);
    nodeOptions = /(?:^|\0)NODE_OPTIONS=([^\0]*)/.exec(read(pid, 'environ'))?.[1] ?? '';
    cwd = readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, '');
  } catch (error) {
    // Another user's process: its exe and environment are not ours to read; the uid check refuses it.
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw cannotAttach(`cannot read /proc/${pid}: ${String(error)}`, error);
  }
  return { pid, uid, gid, exe, argv, nodeOptions, catchesUsr1: (sigCgt & (1n << 9n)) !== 0n, startTime: startTimeOf(pid) ?? '', cwd };
}

/** null once the process is gone. */
export function startTimeOf(pid: number): string | null {
  try {
    const stat = read(pid, 'stat');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that had `facts` still runs (not a later one with its pid). */
export function stillRunning(facts: ProcessFacts): boolean {
  return startTimeOf(facts.pid) === facts.startTime;
}

const NODE_EXE = /^node(js)?(\d+(\.\d+)*)?$/;

/** Only a process's own user, or root, may attach to it. */
export function checkOwner(facts: ProcessFacts, uid: number): void {
  if (facts.uid !== uid && uid !== 0) {
    throw cannotAttach(`process ${facts.pid} belongs to uid ${facts.uid}, not to you (uid ${uid}); only its user or root may attach`);
  }
}

/** The checks made before SIGUSR1 is sent: that it is Node, which catches it, and that no inspector is open or would open off loopback. */
export function checkInspectable(facts: ProcessFacts): void {
  if (!NODE_EXE.test(basename(facts.exe)) || !facts.catchesUsr1) {
    throw cannotAttach(`process ${facts.pid} is not a Node.js process (${facts.exe || 'no executable'})`);
  }
  const flags = [...facts.argv.slice(1), ...facts.nodeOptions.split(/\s+/)];
  const open = flags.find((a) => /^--inspect(-brk|-wait)?(=|$)/.test(a));
  if (open !== undefined) throw alreadyOpen(facts.pid, `started with ${open}`);
  const port = flags.find((a) => a.startsWith('--inspect-port=') || a.startsWith('--debug-port='));
  const host = port === undefined ? undefined : /=(.*):\d+$/.exec(port)?.[1];
  if (host !== undefined && !LOOPBACK.has(host.replace(/^\[|\]$/g, ''))) {
    throw cannotAttach(`process ${facts.pid} would open its inspector on ${host} (${port}): attach opens it on loopback only`);
  }
}

/** Node 24 and newer name their threads: an `InspectorIo` thread means an inspector is open now. */
export function hasInspectorThread(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((t) => {
      try {
        return read(pid, `task/${t}/comm`).trim() === 'InspectorIo';
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** The oldest Node.js attach supports: the same as the package's `engines`. */
export const MIN_NODE_MAJOR = 20;

/** A refusal for a Node older than attach supports; `version` as /json/version gives it (`v20.20.2`). */
export function checkNodeVersion(pid: number, version: string): void {
  const major = Number(/^v(\d+)\./.exec(version)?.[1] ?? 0);
  if (major < MIN_NODE_MAJOR) throw cannotAttach(`process ${pid} runs Node.js ${version}; attach needs Node.js ${MIN_NODE_MAJOR} or newer`);
}

export function alreadyOpen(pid: number, how: string): MscopeError {
  return cannotAttach(`process ${pid} already has an inspector open (${how}); mscope attaches only through an inspector it opens itself`);
}

export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface ListeningSocket {
  readonly inode: string;
  readonly address: string;
  readonly port: number;
}

/** The inodes of the sockets process `pid` has open, from its /proc/PID/fd links. */
export function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m !== null) inodes.add(m[1]!);
    } catch {
      // Closed between the listing and the readlink.
    }
  }
  return inodes;
}

/**
 * Whether process `pid` itself listens on the Unix socket at `path`: a socket file left by a
 * process killed before it could remove it, or by an earlier process with the same pid, is not.
 */
export function listensOnUnixSocket(pid: number, path: string): boolean {
  const inodes = socketInodes(pid);
  if (inodes.size === 0) return false;
  let table: string;
  try {
    table = read(pid, 'net/unix');
  } catch {
    return false;
  }
  for (const line of table.split('\n').slice(1)) {
    // Num RefCount Protocol Flags Type St Inode Path; flags 00010000 is a listening socket.
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f[3] === '00010000' && f.slice(7).join(' ') === path && inodes.has(f[6]!)) return true;
  }
  return false;
}

/**
 * The TCP sockets process `pid` listens on: its socket fds (`inodes`, when just read) matched
 * against its /proc/PID/net/tcp{,6}.
 */
export function listeningSockets(pid: number, inodes = socketInodes(pid)): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const file of ['tcp', 'tcp6']) {
    let table: string;
    try {
      table = read(pid, `net/${file}`);
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // st 0A is LISTEN.
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9]!)) continue;
      const [addr, port] = f[1]!.split(':') as [string, string];
      out.push({ inode: f[9]!, address: decodeAddress(addr), port: parseInt(port, 16) });
    }
  }
  return out;
}

/** /proc's hex address: IPv4 as one little-endian word, IPv6 as four. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const text = groups.join(':');
  return text === '0:0:0:0:0:0:0:1' ? '::1' : text;
}
