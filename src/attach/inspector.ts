import { get } from 'node:http';
import WebSocket from 'ws';
import {
  alreadyOpen,
  cannotAttach,
  hasInspectorThread,
  LOOPBACK,
  listeningSockets,
  stillRunning,
  type ListeningSocket,
  type ProcessFacts,
} from './proc.js';

/** How long Node may take to open its inspector after SIGUSR1 (about 45 ms unloaded). */
const OPEN_WITHIN_MS = 5000;
const POLL_MS = 5;
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
  const before = new Set(listeningSockets(facts.pid).map((s) => s.inode));
  process.kill(facts.pid, 'SIGUSR1');
  const deadline = Date.now() + OPEN_WITHIN_MS;
  let socket: ListeningSocket | undefined;
  while (socket === undefined) {
    socket = listeningSockets(facts.pid).find((s) => !before.has(s.inode));
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

/** A Chrome DevTools Protocol session with one target, over its WebSocket, for the few requests attach makes. */
export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: CdpAnswer) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as CdpAnswer;
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    });
  }

  static connect(url: string): Promise<CdpSession> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: ANSWER_WITHIN_MS });
      ws.once('open', () => resolve(new CdpSession(ws)));
      ws.once('error', (error) => reject(cannotAttach(`cannot connect to ${url}: ${error.message}`, error)));
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
      this.ws.send(
        JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, includeCommandLineAPI: true, returnByValue: true } }),
      );
    });
  }

  /** Disconnects; resolves once the socket is closed (the target's inspector.close() waits for that). */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Closes the inspector of a process once its session has gone (an attach that failed before the agent did it). */
export const CLOSE_INSPECTOR = `(() => { const inspector = require('node:inspector'); setImmediate(() => inspector.close()); })()`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
