import { chownSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentMessage, AgentOptions, MonitorSpec } from '../agent/protocol.js';
import type { Session } from '../consumer/session.js';
import type { TraceTarget } from '../consumer/trace.js';
import { controlPath, controlRequestAt } from '../weaver/index.js';
import { deferred } from '../core/index.js';
import { CdpSession, CLOSE_INSPECTOR, openInspector, type OpenInspector } from './inspector.js';
import {
  cannotAttach,
  checkInspectable,
  checkNodeVersion,
  checkOwner,
  listensOnUnixSocket,
  processFacts,
  stillRunning,
  type ProcessFacts,
} from './proc.js';
import type { AttachRequest } from './target.js';
import { setTargetPid } from '../lang/runtime/target.js';

/** How long the agent may take to start once injected (it loads the D compiler). */
const ATTACHED_WITHIN_MS = 30_000;
const WATCH_MS = 100;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Injected by Runtime.evaluate: the bootstrap returns at once, so mscope disconnects before the agent closes the inspector. */
export const BOOTSTRAP_PATH = new URL('./bootstrap.cjs', import.meta.url);
export const TARGET_URL = new URL('./target.js', import.meta.url);

/**
 * `mscope attach PID` (`mscope run -p PID`): a running Node process, traced from now until ^C,
 * SIGTERM, the program's exit() or the process's end. A process started with the preload is
 * asked over its control socket; any other is checked (its user, that it is Node, that no
 * inspector is open), its inspector opened with SIGUSR1, the agent injected, and the inspector
 * closed again by the agent as soon as its own control socket is up. Detach undoes it all.
 */
export class AttachTarget implements TraceTarget {
  readonly killed: ReadonlySet<number> = new Set();
  readonly nothingTraced: string;
  private readonly facts: ProcessFacts;
  private preloadSocket: string | null;
  private inspector: { info: OpenInspector; cdp: CdpSession } | null = null;
  private injected = false;
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
  /** The agent closed the inspector at our request (attached through it). */
  private inspectorClosed = false;

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

  /** Opens the inspector (when there is no control socket) and checks the Node version, before BEGIN runs. */
  async prepare(): Promise<void> {
    this.startedAt = performance.now();
    if (this.preloadSocket !== null) return;
    const info = await openInspector(this.facts);
    try {
      checkNodeVersion(this.pid, info.version);
      this.inspector = { info, cdp: await CdpSession.connect(info.webSocketUrl) };
    } catch (error) {
      if (this.inspector === null) await closeUnused(info);
      throw error;
    }
  }

  async run(session: Session, monitors: readonly MonitorSpec[], options: AgentOptions): Promise<number> {
    const monitorsFile = session.writeMonitors(monitors);
    if (this.facts.uid !== (process.getuid?.() ?? 0)) {
      // Root attaching to another user's process: the agent runs as that user and must write the
      // session, and read what mscope put there for it (the monitors, compiled TypeScript monitors).
      for (const p of [session.dir, ...session.files()]) chownSync(p, this.facts.uid, this.facts.gid);
    }
    const request: AttachRequest = { session: session.dir, monitorsFile, options, consumer: process.pid };
    setTargetPid(this.pid);
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
    session.startPolling();
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
      if (this.preloadSocket !== null) await this.askPreload(this.preloadSocket, request);
      else await this.inject(request);
      const { control, node, matched } = await this.attached.promise;
      this.control = control;
      if (this.preloadSocket === null) await this.closeInspectorThrough(control);
      const how = this.preloadSocket === null ? 'through its inspector, closed again' : 'through its control socket';
      if (this.notices !== null) process.stderr.write(this.notices(matched));
      // Said even with -q: probes fire from this line on, and a script may wait for it.
      process.stderr.write(
        `mscope: attached to process ${this.pid} (Node.js ${node}) ${how}, in ${Math.round(performance.now() - this.startedAt)} ms; ^C detaches\n`,
      );
    } finally {
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

  dispose(): void {
    if (this.watch !== null) clearInterval(this.watch);
    for (const s of STOP_SIGNALS) process.removeListener(s, this.onSignal);
    const open = this.inspector;
    this.inspector = null;
    if (open === null || this.inspectorClosed) return;
    // Not injected: our session is still connected. Injected but the agent failed: it has gone.
    if (!this.injected) void closeInspector(open.cdp);
    else void closeUnused(open.info);
  }

  /** Our session is gone (inject awaited its close): the agent may close the inspector now. */
  private async closeInspectorThrough(control: string): Promise<void> {
    const r = await controlRequestAt(control, this.pid, { op: 'close-inspector' }).catch((error: unknown) => ({
      ok: false as const,
      error: error instanceof Error ? error.message : String(error),
    }));
    if (!r.ok) throw cannotAttach(`process ${this.pid} did not close the inspector mscope opened: ${r.error}`);
    this.inspectorClosed = true;
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

  private async inject(request: AttachRequest): Promise<void> {
    const { cdp } = this.inspector!;
    const boot = JSON.stringify(BOOTSTRAP_PATH.pathname);
    const expression = `(() => { const boot = require(${boot}); delete require.cache[${boot}]; boot(${JSON.stringify(TARGET_URL.href)}, ${JSON.stringify(request)}); })()`;
    this.injected = true;
    try {
      await cdp.evaluate(expression);
    } catch (error) {
      this.injected = false;
      throw cannotAttach(
        `cannot inject the agent into process ${this.pid}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    } finally {
      // The agent closes the inspector once up, and only when no session remains would that not wait.
      if (this.injected) await cdp.close();
    }
  }

  private async askPreload(path: string, request: AttachRequest): Promise<void> {
    const r = await controlRequestAt(path, this.pid, { op: 'attach', request: { ...request } }).catch((error: unknown) => {
      throw cannotAttach(`process ${this.pid}: ${error instanceof Error ? error.message : String(error)}`, error);
    });
    if (!r.ok) throw cannotAttach(`process ${this.pid}: ${r.error}`);
  }
}

/** Asks the inspector to close once this session has gone, then disconnects. */
async function closeInspector(cdp: CdpSession): Promise<void> {
  await cdp.evaluate(CLOSE_INSPECTOR).catch(() => {});
  await cdp.close();
}

async function closeUnused(info: OpenInspector): Promise<void> {
  const cdp = await CdpSession.connect(info.webSocketUrl).catch(() => null);
  if (cdp !== null) await closeInspector(cdp);
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
