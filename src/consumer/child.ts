import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
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

/**
 * Refuses a CMD that spawn would not find, as its PATH search would (an entry that exists but
 * cannot be run is EACCES unless a later one can): before BEGIN, as `dtrace -c` fails before
 * its program runs, so a BEGIN that calls exit() cannot hide a mistyped command.
 */
export function checkCommand(file: string, cwd: string, path = process.env.PATH ?? ''): void {
  if (process.platform === 'win32') return;
  const candidates = file.includes('/') ? [resolve(cwd, file)] : path.split(':').map((dir) => resolve(cwd, dir, file));
  let denied = false;
  for (const c of candidates) {
    try {
      // execve refuses a directory with EACCES too.
      if (!statSync(c).isFile()) {
        denied = true;
        continue;
      }
      accessSync(c, fsConstants.X_OK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EACCES') denied = true;
    }
  }
  throw spawnError(file, Object.assign(new Error(file), { code: denied ? 'EACCES' : 'ENOENT' }));
}

function spawnError(file: string, error: NodeJS.ErrnoException): MscopeError {
  if (error.code === 'ENOENT') return new MscopeError(ErrorCode.BadCommand, `${file}: command not found`);
  if (error.code === 'EACCES') return new MscopeError(ErrorCode.BadCommand, `${file}: permission denied`);
  return new MscopeError(ErrorCode.BadCommand, `cannot run ${file}: ${error.message}`);
}
