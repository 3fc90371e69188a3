import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { ErrorCode, MscopeError } from '../core/errors.js';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Runs CMD with the terminal's stdio (or none); mscope's `Stopper` passes signals on to it. */
export class TracedChild {
  private readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;

  constructor(command: readonly string[], env: NodeJS.ProcessEnv, cwd: string, stdio: 'inherit' | 'ignore' = 'inherit') {
    const [file, ...args] = command as [string, ...string[]];
    this.child = spawn(file, args, { stdio, env, cwd });
    this.exited = new Promise<ChildExit>((resolve, reject) => {
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        reject(spawnError(file, error));
      });
      this.child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** A shell's convention: the exit code, or 128 + the signal number. */
export function exitStatus(e: ChildExit): number {
  if (e.code !== null) return e.code;
  const n = e.signal === null ? undefined : constants.signals[e.signal];
  return n === undefined ? 1 : 128 + n;
}

function spawnError(file: string, error: NodeJS.ErrnoException): MscopeError {
  if (error.code === 'ENOENT') return new MscopeError(ErrorCode.BadCommand, `${file}: command not found`);
  if (error.code === 'EACCES') return new MscopeError(ErrorCode.BadCommand, `${file}: permission denied`);
  return new MscopeError(ErrorCode.BadCommand, `cannot run ${file}: ${error.message}`);
}
