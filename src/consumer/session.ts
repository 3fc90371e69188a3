import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV_MONITORS_FILE, ENV_OPTIONS, ENV_SESSION, type AgentMessage, type AgentOptions, type MonitorSpec } from '../agent/protocol.js';
import { SessionReader, type MessageListener } from './reader.js';
import { ENV_CONSUMER_PID } from '../core/consumer-env.js';
import { ErrorCode, MscopeError } from '../core/errors.js';

const POLL_INTERVAL_MS = 50;
const MONITORS_FILE = 'monitors.json';

/**
 * The consumer's side of one `mscope` invocation: a directory the agents write into, read
 * while CMD runs so that live output appears, and once more after it exits.
 */
export class Session {
  private readonly listeners: MessageListener[] = [];
  private readonly reader: SessionReader;
  private timer: NodeJS.Timeout | null = null;
  /** Processes that said hello, in the order their files were first read. */
  readonly processes = new Map<number, { ppid: number; argv: string[] }>();

  private constructor(readonly dir: string) {
    this.reader = new SessionReader(dir, (pid, m) => this.dispatch(pid, m));
  }

  static create(): Session {
    try {
      return new Session(mkdtempSync(join(tmpdir(), 'mscope-')));
    } catch (error) {
      throw cannotWrite(`a session directory in ${tmpdir()}`, error);
    }
  }

  onMessage(listener: MessageListener): void {
    this.listeners.push(listener);
  }

  /** The file of the monitors every agent loads; an agent that finds none yet waits for it (agent/monitors-file.ts). */
  get monitorsFile(): string {
    return join(this.dir, MONITORS_FILE);
  }

  /**
   * Writes the monitors to a private file of the session; returns its path. Renamed into place:
   * an agent started before mscope had them (a held CMD, an attach) never reads half a file;
   * `beforeRename` can give the file to the agent's user first.
   */
  writeMonitors(monitors: readonly MonitorSpec[], beforeRename?: (partial: string) => void): string {
    const partial = `${this.monitorsFile}.partial`;
    writeSessionFile(partial, JSON.stringify(monitors), this.monitorsFile);
    beforeRename?.(partial);
    renameSync(partial, this.monitorsFile);
    return this.monitorsFile;
  }

  /** Every file in the session directory (before CMD starts: what mscope wrote for the agents). */
  files(): string[] {
    return readdirSync(this.dir).map((f) => join(this.dir, f));
  }

  /** The variables that make an agent report to this session; the monitors go in a private file, written apart. */
  env(options: AgentOptions): Record<string, string> {
    return {
      [ENV_SESSION]: this.dir,
      [ENV_MONITORS_FILE]: this.monitorsFile,
      [ENV_OPTIONS]: JSON.stringify(options),
      [ENV_CONSUMER_PID]: String(process.pid),
    };
  }

  /** Reads what the agents have written since the last poll. */
  poll(): void {
    this.reader.poll();
  }

  startPolling(): void {
    this.timer ??= setInterval(() => this.poll(), POLL_INTERVAL_MS);
  }

  /** Stops polling and reads everything that is left. Returns the count of corrupt lines by pid. */
  finish(): ReadonlyMap<number, number> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.reader.poll();
    this.reader.close();
    return this.reader.corrupt;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private dispatch(pid: number, message: AgentMessage): void {
    if (message.t === 'hello') this.processes.set(pid, { ppid: message.ppid, argv: message.argv });
    for (const l of this.listeners) l(pid, message);
  }
}

/**
 * A private file of the session, written before CMD starts. One that cannot be (a full disk) is
 * removed again and fails in one line naming `shown`: CMD never runs.
 */
export function writeSessionFile(file: string, text: string, shown = file): void {
  try {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(file, { force: true });
    throw cannotWrite(shown, error);
  }
}

/** A file mscope needs before CMD starts could not be written (a full disk, an unwritable TMPDIR). */
function cannotWrite(what: string, error: unknown): MscopeError {
  const why = (error as NodeJS.ErrnoException).code ?? String(error);
  return new MscopeError(ErrorCode.CannotWrite, `mscope: cannot write ${what}: ${why}`, { cause: error });
}
