import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';
import { mscope, type Result } from '../cli/mscope.js';

/**
 * Shared by every file in test/faults: one traced program (test/fixtures/faults/app.cjs, parameters
 * `EVENTS ENDING`), one monitor that can be told to misbehave (monitor.mjs there), and
 * the three checks each fault case makes. Keep this API small: other suites build on it.
 */
export const FIXTURES = fileURLToPath(new URL('../fixtures/faults/', import.meta.url));
export const APP = join(FIXTURES, 'app.cjs');
export const MONITOR = join(FIXTURES, 'monitor.mjs');
export const BINDINGS = ['direct', 'shm', 'message'] as const;
export type { Result };

/** A fresh private directory for one case's files. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'mscope-faults-'));
}

/** Runs `node app.cjs ...args` without microScope: the fate a traced run must match. */
export function untraced(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const child = spawn(process.execPath, [APP, ...args], {
    cwd: FIXTURES,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Runs `mscope run ...options -- node app.cjs ...args` (cwd: the fixtures directory). */
export function traced(options: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return mscope(['run', ...options, '--', 'node', APP, ...args], FIXTURES, env);
}

/** The program's stdout is byte-identical and mscope exits as the program did (128+N for a signal). */
export function assertSameFate(run: Result, plain: Result): void {
  assert.equal(run.stdout, plain.stdout, `stdout differs from the untraced run; stderr:\n${run.stderr}`);
  const expected = plain.signal === null ? plain.status : 128 + constants.signals[plain.signal];
  assert.equal(run.status, expected, `status differs from the untraced run; stderr:\n${run.stderr}`);
}

/** mscope's own lines on stderr (the program's are everything else). */
export function mscopeLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('mscope: '));
}

/** Asserts exactly one mscope line matches `pattern` (the fault's report) and returns it. */
export function assertReportedOnce(stderr: string, pattern: RegExp): string {
  const hits = mscopeLines(stderr).filter((l) => pattern.test(l));
  assert.equal(hits.length, 1, `expected one line matching ${pattern} on stderr, got:\n${stderr}`);
  return hits[0]!;
}

/**
 * Every loss mscope reported: drops printed while tracing (`N drops on thread T`), events a
 * process took with it when it exited, and DTrace's named drops (`N dynamic variable drops`...).
 */
export function reportedDrops(stderr: string): number {
  let n = 0;
  for (const l of mscopeLines(stderr)) {
    const m =
      /^mscope: (\d+) drops on thread \d+/.exec(l) ??
      /^mscope: (\d+) drops \(events in a shm or message binding when their process exited\)$/.exec(l);
    if (m !== null) n += Number(m[1]);
  }
  return n;
}

/** Events fixtures/monitor.mjs saw, summed over every process (its `seen N` lines in FILE). */
export function countedEvents(file: string): number {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  let n = 0;
  for (const m of text.matchAll(/^seen (\d+)$/gm)) n += Number(m[1]);
  return n;
}

/** Events the program fired, from its own `fired N` lines. */
export function firedEvents(stdout: string): number {
  let n = 0;
  for (const m of stdout.matchAll(/^fired (\d+)/gm)) n += Number(m[1]);
  return n;
}
