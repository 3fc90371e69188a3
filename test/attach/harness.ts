import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { request } from 'node:http';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bounded, collect, spawnMscope, type Result } from '../cli/mscope.js';

export const APPS = fileURLToPath(new URL('../fixtures/attach/', import.meta.url));
/** The Node the tests run on (MSCOPE_TEST_NODE): targets are started plainly with it. */
export const NODE = process.execPath;

/** An inspector a SIGUSR1 opens on a free port: on the default 9229 another process's inspector made it fail to bind. */
export const INSPECT_ANY_PORT = '--inspect-port=0';

/** "Another local user" is nobody (65534); acting as it needs root. */
export const NOBODY = 65534;
export const asRoot = process.getuid?.() === 0 ? false : 'needs root to act as a second local user (nobody, uid 65534)';

const BIN = fileURLToPath(new URL('../../bin/mscope.js', import.meta.url));

/** `mscope ARGS…` run as nobody against a process of root: refused in one line, its inspector never opened. */
export async function assertRefusedToNobody(app: App, args: readonly string[], command: string): Promise<void> {
  const r = await collect(
    spawn(process.execPath, [BIN, ...args], { cwd: APPS, uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr,
    `mscope ${command}: process ${app.pid} belongs to uid 0, not to you (uid ${NOBODY}); only its user or root may attach\n`,
  );
  assert.equal(((await app.state()) as { inspector: unknown }).inspector, null);
}

export interface App {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** What the program says about its own listeners, hooks, threads and inspector (fixtures/attach/fingerprint.cjs). */
  state(): Promise<unknown>;
  /** GET url from the app's server: the body. */
  get(url: string): Promise<string>;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Closes its stdin, which ends it; resolves with its exit status. */
  end(): Promise<number | null>;
}

/** Resources of a request in flight, not of the program's steady state. */
const IN_FLIGHT = new Set(['TCPSocketWrap', 'FSReqCallback', 'FSReqPromise', 'GetAddrInfoReqWrap', 'ShutdownWrap', 'WriteWrap']);

const started = new Set<ChildProcess>();
// A test that fails before its own cleanup must not leave a program whose pipes keep this file running.
after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts a fixture with plain `node ARGS…` (nothing of ours), and waits for its server. */
export function startApp(args: readonly string[], options: SpawnOptions = {}): Promise<App> {
  const child = spawn(NODE, args, { cwd: APPS, stdio: ['pipe', 'pipe', 'pipe'], ...options });
  started.add(child);
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buf = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      for (const w of waiters.splice(0)) w();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const nextLine = (prefix: string): Promise<string> =>
    bounded(
      new Promise<string>((resolve, reject) => {
        const look = (): void => {
          const i = lines.findIndex((l) => l.startsWith(prefix));
          if (i >= 0) return resolve(lines.splice(i, 1)[0]!.slice(prefix.length));
          const ended = child.exitCode ?? child.signalCode;
          if (ended !== null) return reject(new Error(`exited (${ended}) before printing "${prefix}"; stderr: ${err}`));
          waiters.push(look);
        };
        look();
        void exited.then(() => waiters.length > 0 && look());
      }),
      `a line "${prefix}…" on the program's stdout`,
      () => `${lines.join('\n')}${buf}; stderr: ${err}`,
    );
  return nextLine('listening ').then((port) => ({
    child,
    pid: child.pid!,
    port: Number(port),
    state: async () => {
      // Asked again while the program's own requests are in flight (a connection its server is
      // closing, a file read): from Node 24 on that close creates its stderr stream. Up to 5 s.
      const deadline = Date.now() + 5000;
      for (;;) {
        child.stdin!.write('state\n');
        const state = JSON.parse(await nextLine('state ')) as { resources: Record<string, number> };
        if (Date.now() > deadline || !Object.keys(state.resources).some((r) => IN_FLIGHT.has(r))) return state;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    get: (url) => httpGet(Number(port), url),
    stderr: () => err,
    end: () => {
      child.stdin!.end();
      return exited;
    },
  }));
}

export function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface Attached {
  readonly child: ChildProcess;
  /** Resolves once mscope says it attached (the agent is up; probes fire from now on). */
  readonly attached: Promise<void>;
  readonly done: Promise<Result>;
  /** ^C: detaches; resolves with mscope's result. */
  detach(): Promise<Result>;
}

/** `mscope attach PID ARGS…`, or any other mscope command line that attaches; mscope runs in `cwd`. */
export function attach(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = APPS): Attached {
  const child = spawnMscope(args, cwd, env);
  const done = collect(child);
  let err = '';
  const attached = bounded(
    new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/^mscope: attached to process/m.test(err)) resolve();
      });
      void done.then((r) => reject(new Error(`mscope ended before attaching (status ${r.status}): ${r.stderr}`)));
    }),
    '"mscope: attached to process" on its stderr',
    () => err,
  );
  attached.catch(() => {});
  return {
    child,
    attached,
    done,
    detach: () => {
      child.kill('SIGINT');
      return done;
    },
  };
}

/** A fixed number of requests, one after another; their bodies. */
export async function requests(app: App, n: number, prefix = '/r'): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await app.get(`${prefix}${i}`));
  return out;
}

/** What `assertLeftAsFound` compares of a state. */
function comparable(state: unknown): string {
  const { threads: _t, globals: _g, ...rest } = state as { threads: number; globals: unknown };
  return JSON.stringify(rest);
}

/**
 * The program's state once what an attach leaves for later is done (an edit V8 refused to undo
 * while its function ran is undone on a later tick, src/attach/splicer.ts; an abandoned early
 * attach's bootstrap closes the inspector a few ms after mscope's release): polled until it
 * compares equal to `before` as `assertLeftAsFound` does, for 5 s at most.
 */
export async function settledState(app: App, before: unknown): Promise<unknown> {
  const expected = comparable(before);
  const deadline = Date.now() + 5000;
  for (;;) {
    const state = await app.state();
    if (Date.now() > deadline || comparable(state) === expected) return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A detach left the program as it found it: the same fingerprint, and no thread more. A thread
 * of Node's own may end meanwhile (seen on Node 22 and 24): one fewer is not a trace of ours.
 */
export function assertLeftAsFound(now: unknown, before: unknown): void {
  // A live edit leaves its script's three inert globals (docs/ATTACH.md); cycles.test.ts checks that attaches add no more.
  const { threads, globals: _, ...rest } = now as { threads: number; globals: unknown };
  const { threads: threadsBefore, globals: __, ...restBefore } = before as { threads: number; globals: unknown };
  assert.deepEqual(rest, restBefore);
  assert.ok(threads <= threadsBefore, `${threads} threads after, ${threadsBefore} before`);
}
