import { writeFileSync } from 'node:fs';
import { get, request } from 'node:http';
import type { Socket } from 'node:net';
import {
  alreadyOpen,
  cannotAttach,
  hasInspectorThread,
  LOOPBACK,
  listeningSockets,
  socketInodes,
  stillRunning,
  type ListeningSocket,
  type ProcessFacts,
} from './proc.js';

/** How long Node may take to open its inspector after SIGUSR1 (about 45 ms unloaded). */
const OPEN_WITHIN_MS = 5000;
const POLL_MS = 5;
/**
 * Reading /proc/PID/net/tcp takes about 1 ms however few sockets it lists (the kernel walks its
 * whole table): the wait reads it when the process's sockets change, and at least this often.
 */
const TABLE_READ_MS = 100;
/** A CDP request to the target's inspector; the evaluate returns before anything awaits. */
const ANSWER_WITHIN_MS = 10_000;

export interface OpenInspector {
  readonly port: number;
  readonly webSocketUrl: string;
}

/**
 * Opens the inspector of `facts.pid` with SIGUSR1 and finds where it listens: the one TCP
 * socket the process did not listen on before the signal. Node binds it to 127.0.0.1 (mscope
 * refused a process whose --inspect-port says otherwise); anything else is closed and refused.
 */
export async function openInspector(facts: ProcessFacts): Promise<OpenInspector> {
  if (hasInspectorThread(facts.pid)) throw alreadyOpen(facts.pid, 'inspector.open() or an earlier SIGUSR1');
  let read = socketInodes(facts.pid);
  const before = new Set(listeningSockets(facts.pid, read).map((s) => s.inode));
  process.kill(facts.pid, 'SIGUSR1');
  const deadline = Date.now() + OPEN_WITHIN_MS;
  let readAt = Date.now();
  let socket: ListeningSocket | undefined;
  while (socket === undefined) {
    const inodes = socketInodes(facts.pid);
    if (!sameSet(inodes, read) || Date.now() - readAt >= TABLE_READ_MS) {
      socket = listeningSockets(facts.pid, inodes).find((s) => !before.has(s.inode));
      read = inodes;
      readAt = Date.now();
    }
    if (socket !== undefined) break;
    if (!stillRunning(facts)) throw cannotAttach(`process ${facts.pid} exited`);
    if (Date.now() > deadline) {
      // SIGUSR1 opens nothing when an inspector is open already (inspector.open(), an earlier SIGUSR1).
      throw alreadyOpen(facts.pid, `or it could not open one: see its stderr; nothing new listened within ${OPEN_WITHIN_MS} ms of SIGUSR1`);
    }
    await sleep(POLL_MS);
  }
  const host = socket.address.includes(':') ? `[${socket.address}]` : socket.address;
  if (!LOOPBACK.has(socket.address)) {
    throw cannotAttach(`the inspector of process ${facts.pid} listens on ${host}:${socket.port}, not on loopback; not connecting`);
  }
  // The target's WebSocket URL holds an id made when the inspector opened; the Node version comes with the injection.
  const list = (await getJson(`http://${host}:${socket.port}/json/list`)) as Array<{ webSocketDebuggerUrl?: string }>;
  const url = list[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw cannotAttach(`the inspector of process ${facts.pid} lists no target`);
  return { port: socket.port, webSocketUrl: url };
}

/** GET and parse JSON with node:http, which ws loads anyway; fetch would load undici (about 0.1 s of CPU). */
async function getJson(url: string): Promise<unknown> {
  try {
    return await new Promise((resolve, reject) => {
      const req = get(url, { timeout: ANSWER_WITHIN_MS }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)));
      req.on('error', reject);
    });
  } catch (error) {
    throw cannotAttach(`cannot read ${url}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

interface CdpAnswer {
  readonly id: number;
  readonly result?: { result?: { value?: unknown }; exceptionDetails?: { exception?: { description?: string }; text?: string } };
  readonly error?: { message?: string };
}

/**
 * A Chrome DevTools Protocol session with one target, for the few requests attach makes, over
 * a WebSocket of our own on node:http (which getJson loads anyway): the `ws` package loaded
 * http, https, tls, zlib and crypto, about 80 ms of mscope's CPU before it could send SIGUSR1.
 * Just what the inspector's server needs (RFC 6455): text frames, masked from us; close, ping.
 */
export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: CdpAnswer) => void>();
  private received: Buffer = Buffer.alloc(0);
  /** A text message split over continuation frames, until its last. */
  private fragments: Buffer[] = [];
  private closeSent = false;
  private readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    head: Buffer,
  ) {
    socket.setNoDelay(true);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => {
      for (const answer of this.pending.values()) answer({ id: 0, error: { message: 'the inspector closed the connection' } });
      this.pending.clear();
    });
    // Answered by 'close' (above): an error ends the connection, which is all a session can do then.
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    if (head.length > 0) this.read(head);
  }

  static connect(url: string): Promise<CdpSession> {
    const { hostname, port, pathname } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request({
        host: hostname.replace(/^\[|\]$/g, ''),
        port,
        path: pathname,
        timeout: ANSWER_WITHIN_MS,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': Buffer.from(randomBytes(16)).toString('base64'),
        },
      });
      req.once('upgrade', (_res, socket, head) => resolve(new CdpSession(socket as Socket, head)));
      req.once('response', (res) => {
        res.resume();
        reject(cannotAttach(`cannot connect to ${url}: HTTP ${res.statusCode}`));
      });
      req.once('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)));
      req.once('error', (error) => reject(cannotAttach(`cannot connect to ${url}: ${error.message}`, error)));
      req.end();
    });
  }

  /** Evaluates `expression` in the target's main context, with the console's `require`; rejects with the exception's text. */
  evaluate(expression: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`));
      }, ANSWER_WITHIN_MS);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        const thrown = m.result?.exceptionDetails;
        if (m.error !== undefined) reject(new Error(m.error.message ?? 'CDP error'));
        else if (thrown !== undefined) reject(new Error(thrown.exception?.description?.split('\n')[0] ?? thrown.text ?? 'exception'));
        else resolve(m.result?.result?.value);
      });
      const request = { id, method: 'Runtime.evaluate', params: { expression, includeCommandLineAPI: true, returnByValue: true } };
      this.send(OPCODE_TEXT, Buffer.from(JSON.stringify(request)));
    });
  }

  /** Disconnects; resolves once the connection is closed (the target's inspector.close() waits for that). */
  close(): Promise<void> {
    if (!this.socket.destroyed) {
      this.send(OPCODE_CLOSE, Buffer.from([0x03, 0xe8])); // 1000, normal closure
      // The server answers with its close frame and ends the connection; one that does not is cut.
      const cut = setTimeout(() => this.socket.destroy(), ANSWER_WITHIN_MS);
      void this.closed.then(() => clearTimeout(cut));
    }
    return this.closed;
  }

  /** Answers every waiting request with `message` and cuts the connection: nothing after a bad frame can be trusted. */
  private fail(message: string): void {
    for (const answer of this.pending.values()) answer({ id: 0, error: { message } });
    this.pending.clear();
    this.socket.destroy();
  }

  private send(opcode: number, payload: Buffer): void {
    if (this.closeSent || this.socket.destroyed) return;
    if (opcode === OPCODE_CLOSE) this.closeSent = true;
    this.socket.write(frame(opcode, payload));
  }

  private read(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    for (;;) {
      const b = this.received;
      if (b.length < 2) return;
      const masked = (b[1]! & 0x80) !== 0;
      let length = b[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      const mask = masked ? b.subarray(at, at + 4) : null;
      if (mask !== null) at += 4;
      if (b.length < at + length) return;
      const payload = Buffer.from(b.subarray(at, at + length));
      if (mask !== null) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
      this.received = b.subarray(at + length);
      this.frame((b[0]! & 0x80) !== 0, b[0]! & 0x0f, payload);
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OPCODE_TEXT || opcode === OPCODE_CONTINUATION) {
      this.fragments.push(payload);
      if (!fin) return;
      const text = Buffer.concat(this.fragments).toString('utf8');
      this.fragments = [];
      const m = parseAnswer(text);
      if (m === null) return this.fail(`the inspector sent a message that is not CDP's JSON: ${text.slice(0, 80)}`);
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    } else if (opcode === OPCODE_CLOSE) {
      this.send(OPCODE_CLOSE, payload.subarray(0, 2));
      this.socket.end();
    } else if (opcode === OPCODE_PING) this.send(OPCODE_PONG, payload);
  }
}

function parseAnswer(text: string): CdpAnswer | null {
  try {
    const m = JSON.parse(text) as unknown;
    return typeof m === 'object' && m !== null ? (m as CdpAnswer) : null;
  } catch {
    return null;
  }
}

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/** One final frame from the client, masked as RFC 6455 requires of clients. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + length);
  out[0] = 0x80 | opcode;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 0x10000) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  out.set(mask, head);
  for (let i = 0; i < length; i++) out[head + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}

/**
 * Bytes for the handshake key and the masks. The mask protects proxies from a page's
 * crafted frames; between mscope and a loopback port it has nothing to protect, and
 * node:crypto would cost mscope its load.
 */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

/**
 * Has the target close its inspector once this session has gone, then disconnects and says so by
 * creating `released`: the bootstrap (`bootstrapPath`) polls for it, or for mscope's exit. Closing
 * while a session is connected can crash Node (nodejs/node#18761: SIGSEGV in about 1 of 15
 * closes scheduled with setImmediate just before the disconnect, Node 20 to 26).
 */
export async function closeWhenGone(cdp: CdpSession, bootstrapPath: string, released: string): Promise<void> {
  const boot = JSON.stringify(bootstrapPath);
  const release = JSON.stringify({ released, consumer: process.pid });
  const expression = `(() => { const boot = require(${boot}); delete require.cache[${boot}]; void boot.closeWhenReleased(${release}); })()`;
  // Disconnected whatever the answer; a refusal is the caller's to report: the inspector stays open.
  const refused = await cdp.evaluate(expression).then(
    () => null,
    (error: unknown) => error,
  );
  await releaseSession(cdp, released);
  if (refused !== null) throw refused;
}

/** Disconnects, then tells the bootstrap the session has gone: it closes the inspector then (nodejs/node#18761). */
export async function releaseSession(cdp: CdpSession, released: string): Promise<void> {
  await cdp.close();
  try {
    writeFileSync(released, '', { mode: 0o600 });
  } catch {
    // The session directory has gone already (an error path): the bootstrap closes the inspector once mscope has exited.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
