import { chownSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentMessage, AgentOptions, MonitorSpec } from '../agent/protocol.js';
import { Session } from '../consumer/session.js';
import type { TraceTarget } from '../consumer/trace.js';
import { controlPath, controlRequestAt } from '../weaver/control.js';
import { deferred } from '../core/deferred.js';
import { CdpSession, closeWhenGone, openInspector, releaseSession, type OpenInspector } from './inspector.js';
import {
  cannotAttach,
  checkInspectable,
  checkNodeVersion,
  checkOwner,
  listensOnUnixSocket,
  MIN_NODE_MAJOR,
  processFacts,
  stillRunning,
  type ProcessFacts,
} from './proc.js';
import type { AttachRequest } from './target.js';
import { setTargetPid } from '../core/target-pid.js';

/** How long the agent may take to start once its monitors are written. */
const ATTACHED_WITHIN_MS = 30_000;
const WATCH_MS = 100;
/** How often mscope reads the session until the agent says it attached (then every 50 ms, as under `mscope run`). */
const ATTACHING_POLL_MS = 5;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Created in the session once mscope's inspector session has gone: the bootstrap then closes the inspector. */
const RELEASED = 'inspector-released';

/** Injected by Runtime.evaluate: the bootstrap returns at once, so mscope disconnects before the inspector is closed. */
export const BOOTSTRAP_PATH = new URL('./bootstrap.cjs', import.meta.url);
export const TARGET_URL = new URL('./target.js', import.meta.url);

/** An attach started before mscope compiled (`hold`): the session the agent was injected for, and the injection. */
interface Held {
  readonly session: Session;
  readonly options: string;
  readonly injected: Promise<void>;
}

/**
 * `mscope attach PID` (`mscope run -p PID`): a running Node process, traced from now until ^C,
 * SIGTERM, the program's exit() or the process's end. A process started with the preload is
 * asked over its control socket; any other is checked (its user, that it is Node, that no
 * inspector is open), its inspector opened with SIGUSR1, the agent injected, mscope's session
 * closed and the inspector with it: the agent loads and waits for the monitors in the session,
 * which mscope writes when it has compiled them. Detach undoes it all.
 */
export class AttachTarget implements TraceTarget {
  readonly killed: ReadonlySet<number> = new Set();
  readonly nothingTraced: string;
  private readonly facts: ProcessFacts;
  private preloadSocket: string | null;
  private held: Held | null = null;
  /** The injection, once started (by `hold` or `prepare`). */
  private injection: Promise<void> | null = null;
  /** The monitors were never sent: whatever is injected has nothing to wait for. */
  private readonly attached = deferred<{ control: string; node: string; matched: Record<string, number> }>();
  /** What mscope prints once the process says what its descriptions matched, before the attached line. */
  notices: ((matched: Record<string, number>) => string) | null = null;
  private readonly ended = deferred<number>();
  private control: string | null = null;
  private stopRequested = false;
  private detaching = false;
  private watch: NodeJS.Timeout | null = null;
  private readonly onSignal = (): void => this.stop();
  private startedAt = 0;
  private gone = false;

  /** Its working directory, as `mscope run`'s is CMD's; mscope's own when that is not ours to read. */
  get root(): string {
    return this.facts.cwd || process.cwd();
  }

  /** The checks that need no signal: a refusal for anything but this user's Node process. */
  constructor(readonly pid: number) {
    this.facts = processFacts(pid);
    const uid = process.getuid?.() ?? 0;
    checkOwner(this.facts, uid);
    this.preloadSocket = findPreloadSocket(this.facts, uid);
    if (this.preloadSocket === null) checkInspectable(this.facts);
    // Rejections that come while nothing awaits them yet (the process exits during the injection).
    this.attached.promise.catch(() => {});
    this.nothingTraced = `mscope: process ${pid} did not report back; nothing was traced`;
  }

  /** The process's command line, as the store's rows and the explorer's page name it. */
  get command(): string {
    return this.facts.argv.length === 0 ? `process ${this.pid}` : this.facts.argv.join(' ');
  }

  /**
   * Injects the agent before mscope has compiled (cli/commands/run-start.ts), as a held CMD is
   * started: the process opens its inspector and loads the agent while mscope loads the
   * compiler, and the agent waits for monitors of `kinds`. `dispose` before `run` leaves the
   * agent nothing to wait for, and closes the inspector if it is still ours.
   */
  hold(options: AgentOptions, kinds: readonly string[]): void {
    if (this.preloadSocket !== null) return;
    const session = Session.create();
    this.injection = this.inject(session, options, kinds);
    this.injection.catch(() => {});
    this.held = { session, options: JSON.stringify(options), injected: this.injection };
  }

  /** The session an attach started early reports to; trace() uses it instead of a new one. */
  get session(): Session | undefined {
    return this.held?.session;
  }

  /** Opens the inspector and injects the agent (when there is no control socket), before BEGIN runs. */
  async prepare(session: Session, options: AgentOptions, monitors: readonly MonitorSpec[]): Promise<void> {
    if (this.preloadSocket !== null) return;
    if (this.held === null) this.injection ??= this.inject(session, options, [...new Set(monitors.map((m) => m.kind))]);
    else if (session !== this.held.session || JSON.stringify(options) !== this.held.options)
      throw new Error('an attach started early runs in the session and with the options it was started with');
    await this.injection;
  }

  async run(session: Session, monitors: readonly MonitorSpec[], options: AgentOptions): Promise<number> {
    const request = this.request(session, options, monitors);
    setTargetPid(this.pid);
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
    session.startPolling();
    // The agent may be up in a few ms: a 50 ms poll would add half of that on average to "attached in".
    const attaching = setInterval(() => session.poll(), ATTACHING_POLL_MS);
    this.watch = setInterval(() => {
      if (stillRunning(this.facts)) return;
      clearInterval(this.watch!);
      this.attached.reject(cannotAttach(`process ${this.pid} exited before the agent started`));
      this.ended.resolve(this.exited());
    }, WATCH_MS);
    const timeout = setTimeout(
      () => this.attached.reject(cannotAttach(`the agent in process ${this.pid} did not start within ${ATTACHED_WITHIN_MS} ms`)),
      ATTACHED_WITHIN_MS,
    );
    try {
      // The injected agent waits for this file, the preloaded one is asked once it is there.
      this.writeMonitors(session, monitors);
      if (this.preloadSocket !== null) {
        this.startedAt = performance.now();
        await this.askPreload(this.preloadSocket, request);
      }
      const { control, node, matched } = await this.attached.promise;
      this.control = control;
      const how = this.preloadSocket === null ? 'through its inspector, closed again' : 'through its control socket';
      if (this.notices !== null) process.stderr.write(this.notices(matched));
      // Said even with -q: probes fire from this line on, and a script may wait for it.
      process.stderr.write(
        `mscope: attached to process ${this.pid} (Node.js ${node}) ${how}, in ${Math.round(performance.now() - this.startedAt)} ms; ^C detaches\n`,
      );
    } finally {
      clearInterval(attaching);
      clearTimeout(timeout);
    }
    if (this.stopRequested) this.detach();
    return this.ended.promise;
  }

  seen(_pid: number, m: AgentMessage): void {
    if (m.t === 'attached') this.attached.resolve({ control: m.control, node: m.node, matched: m.matched });
    else if (m.t === 'attach-failed') this.attached.reject(cannotAttach(`the agent did not start in process ${this.pid}: ${m.message}`));
  }

  answer(): void {}

  stop(): void {
    if (this.control === null) {
      this.stopRequested = true;
      return;
    }
    if (!this.detaching) return this.detach();
    // A second ^C while the process has not answered: stop waiting; its agent detaches once mscope is gone.
    process.stderr.write(`mscope: process ${this.pid} did not answer the detach; its agent detaches by itself once mscope has exited\n`);
    this.ended.resolve(0);
  }

  /**
   * Before the monitors were written (a compile error, a refusal, BEGIN's exit()): the agent,
   * injected or about to be, finds its session gone and starts nothing. The session goes only
   * once the injection is over, which closes the inspector or has the bootstrap close it.
   */
  dispose(): void {
    if (this.watch !== null) clearInterval(this.watch);
    for (const s of STOP_SIGNALS) process.removeListener(s, this.onSignal);
    const held = this.held;
    if (held !== null) void held.injected.catch(() => {}).then(() => held.session.dispose());
  }

  /** What the agent is told: where its session and monitors are, and where mscope says its inspector session has gone. */
  private request(session: Session, options: AgentOptions, kinds: readonly string[] | readonly MonitorSpec[]): AttachRequest {
    return {
      session: session.dir,
      monitorsFile: session.monitorsFile,
      options,
      consumer: process.pid,
      kinds: kinds.map((k) => (typeof k === 'string' ? k : k.kind)),
      released: join(session.dir, RELEASED),
    };
  }

  /**
   * SIGUSR1, a connection, one evaluate that checks the Node version and injects the bootstrap,
   * and our session closed at once: then `released` tells the bootstrap to close the inspector.
   * Rejects with the inspector closed (by our session, or by a new one when ours never connected).
   */
  private async inject(session: Session, options: AgentOptions, kinds: readonly string[]): Promise<void> {
    // Root attaching to another user's process: the agent runs as that user and writes the session.
    this.ownForTarget(session.dir);
    const request = this.request(session, options, kinds);
    this.startedAt = performance.now();
    const info = await openInspector(this.facts);
    let cdp: CdpSession | null = null;
    let injected = false;
    try {
      // Injected even when mscope has given up meanwhile (a compile error): the agent then finds no
      // monitors and starts nothing, and the bootstrap closes the inspector once this session has
      // gone. Closing it from here while connected could leave the program's thread blocked in
      // inspector.close() (seen in CI: the program stopped answering after an attach with a typo).
      cdp = await CdpSession.connect(info.webSocketUrl);
      const answer = (await cdp.evaluate(injection(request)).catch((error: unknown) => {
        throw cannotAttach(
          `cannot inject the agent into process ${this.pid}: ${error instanceof Error ? error.message : String(error)}`,
          error,
        );
      })) as { version: string; injected: boolean };
      injected = answer.injected;
      checkNodeVersion(this.pid, answer.version);
    } catch (error) {
      if (!injected) await this.closeUnused(cdp, info, request.released!);
      throw error;
    } finally {
      // The bootstrap closes the inspector only once this session has gone (nodejs/node#18761).
      if (injected) await releaseSession(cdp!, request.released!);
    }
  }

  /**
   * An inspector we opened and did not inject into: the bootstrap's closer alone is loaded to
   * close it once our session has gone. When that fails the port stays open, which is said.
   */
  private async closeUnused(connected: CdpSession | null, info: OpenInspector, released: string): Promise<void> {
    try {
      await closeWhenGone(connected ?? (await CdpSession.connect(info.webSocketUrl)), BOOTSTRAP_PATH.pathname, released);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      process.stderr.write(`mscope: process ${this.pid} keeps the inspector mscope opened (${info.webSocketUrl}): ${why}\n`);
    }
  }

  /** The monitors, renamed into place (the agent waits for them) once the target's user may read them and what they name. */
  private writeMonitors(session: Session, monitors: readonly MonitorSpec[]): void {
    if (this.facts.uid === (process.getuid?.() ?? 0)) return void session.writeMonitors(monitors);
    // Root attaching to another user's process: the agent reads what mscope put there for it (compiled TypeScript monitors).
    for (const p of [session.dir, ...session.files()]) this.ownForTarget(p);
    session.writeMonitors(monitors, (partial) => this.ownForTarget(partial));
  }

  private ownForTarget(path: string): void {
    if (this.facts.uid !== (process.getuid?.() ?? 0)) chownSync(path, this.facts.uid, this.facts.gid);
  }

  private detach(): void {
    this.detaching = true;
    controlRequestAt(this.control!, this.pid, { op: 'detach' }).then(
      (r) => {
        if (!r.ok) process.stderr.write(`mscope: detach from process ${this.pid}: ${r.error}\n`);
        else process.stderr.write(`mscope: detached from process ${this.pid}\n`);
        this.ended.resolve(0);
      },
      (error: unknown) => {
        if (!stillRunning(this.facts)) return this.ended.resolve(this.exited());
        process.stderr.write(`mscope: detach from process ${this.pid}: ${error instanceof Error ? error.message : String(error)}\n`);
        this.ended.resolve(1);
      },
    );
  }

  private exited(): number {
    if (!this.gone) process.stderr.write(`mscope: process ${this.pid} has exited\n`);
    this.gone = true;
    return 0;
  }

  private async askPreload(path: string, request: AttachRequest): Promise<void> {
    const r = await controlRequestAt(path, this.pid, { op: 'attach', request: { ...request } }).catch((error: unknown) => {
      throw cannotAttach(`process ${this.pid}: ${error instanceof Error ? error.message : String(error)}`, error);
    });
    if (!r.ok) throw cannotAttach(`process ${this.pid}: ${r.error}`);
  }
}

/**
 * One expression: a Node older than attach supports gets nothing; any other requires the
 * bootstrap (then drops it from require's cache) and hands it the request.
 */
function injection(request: AttachRequest): string {
  const boot = JSON.stringify(BOOTSTRAP_PATH.pathname);
  return `(() => {
    if (Number(process.versions.node.split('.')[0]) < ${MIN_NODE_MAJOR}) return { version: process.version, injected: false };
    const boot = require(${boot});
    delete require.cache[${boot}];
    boot(${JSON.stringify(TARGET_URL.href)}, ${JSON.stringify(request)});
    return { version: process.version, injected: true };
  })()`;
}

/** The control socket of a process started with the preload: in our own directories, or (root) in its user's. */
function findPreloadSocket(facts: ProcessFacts, uid: number): string | null {
  const candidates = [controlPath(facts.pid)];
  if (facts.uid !== uid) candidates.push(join(tmpdir(), `mscope-${facts.uid}`, `${facts.pid}.sock`));
  for (const path of candidates) {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st?.isSocket() === true && (st.uid === facts.uid || st.uid === uid) && listensOnUnixSocket(facts.pid, path)) return path;
  }
  return null;
}
