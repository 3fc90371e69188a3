import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** Runs the built `bin/mscope.js` as a user would; `npm test` builds lib first. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * tsx's own command (its CLI starts a second Node for the program). Tests run it directly, not
 * through `npx tsx`: npm in the chain hung past the file's time limit in two full-suite runs
 * (one in CI, one on Node 24 here) and could not be reproduced alone.
 */
export const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/cli/', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/mscope.js', import.meta.url));

if (!existsSync(new URL('../../lib/cli/main.js', import.meta.url))) {
  throw new Error('lib/cli/main.js is missing: run `npm run build` first');
}

/**
 * Whether `pid` has ended (gone, a zombie, or dead), given a few seconds to: a process that has
 * closed its pipes may not have finished exiting when its reader sees the end of them.
 */
export async function ended(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
      if (/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return true;
    } catch {
      return true;
    }
    await delay(100);
  }
  return false;
}

export interface Result {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `detached`: mscope leads a process group of its own, which holds what it traces. */
export function spawnMscope(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, detached = false): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached });
}

export function collect(child: ChildProcess): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

export function mscope(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return collect(spawnMscope(args, cwd, env));
}

/**
 * `mscope(...)` for a run that may hang: mscope and what it traces run in a process group of
 * their own, killed with SIGKILL after `limitMs` (the result's signal says so), so that a hang
 * fails its case instead of holding the file past the runner's limit.
 */
export async function mscopeWithin(limitMs: number, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const child = spawnMscope(args, cwd, env, true);
  const hung = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), limitMs);
  return collect(child).finally(() => clearTimeout(hung));
}

/** How long a test waits for a process to print or do something before it fails: a bound on a hang, not a timing assertion. */
export const WAIT_MS = 60_000;

/**
 * `promise`, or after WAIT_MS a rejection naming what was awaited and what had been seen, so that
 * a wait that would never end fails its test in one line instead of holding the file to the runner's limit.
 */
export function bounded<T>(promise: Promise<T>, awaited: string, seen: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${WAIT_MS / 1000} s for ${awaited}; seen: ${seen()}`)), WAIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Resolves once `text` has appeared on the child's stdout (within WAIT_MS). */
export function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  let seen = '';
  const printed = new Promise<void>((resolve, reject) => {
    // Removed once the text is seen, so that waiting many times on one child does not pile up listeners.
    const onExit = (): void => reject(new Error(`exited before printing ${JSON.stringify(text)}; stdout: ${seen}`));
    const onData = (d: Buffer | string): void => {
      seen += d.toString();
      if (seen.includes(text)) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  return bounded(printed, `${JSON.stringify(text)} on stdout`, () => seen);
}

/** The lines `pid N: FUNC COUNT` printed by monitors/count.ts, grouped by pid. */
export function countsByPid(stdout: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const m of stdout.matchAll(/^pid (\d+): (\S+) (\d+)$/gm)) {
    const rec = out.get(m[1]!) ?? {};
    rec[m[2]!] = Number(m[3]);
    out.set(m[1]!, rec);
  }
  return out;
}

/** DTrace's notices before a program runs (`mscope: script 'x.d' matched N probes`), which a non-quiet run prints on stderr. */
export const MATCHED_NOTICE = /^mscope: (script|description) '.*' matched \d+ probes?.*\n/gm;

/** The line that ends every non-quiet run: events by binding, the time they added, drops, faults. */
export const PROBE_EFFECT = /^mscope: probe effect: .*\n/gm;

/** stderr without those notices and the probe-effect line: what a test of something else compares. */
export function withoutNotices(stderr: string): string {
  return stderr.replace(MATCHED_NOTICE, '').replace(PROBE_EFFECT, '');
}

/** Runs `f` with a fresh directory in the temporary directory, removed afterwards however `f` ends. */
export function withTempDir<T>(prefix: string, f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    result = f(dir);
  } catch (error) {
    remove();
    throw error;
  }
  if (result instanceof Promise) return result.finally(remove) as T;
  remove();
  return result;
}
