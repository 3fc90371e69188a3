import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/modules/', import.meta.url));
export const PRELOAD = fileURLToPath(new URL('../fixtures/modules/preload.mjs', import.meta.url));

export interface FixtureResult {
  status: number | null;
  stdout: string;
  stderr: string;
  counts: Record<string, number>;
  probes: string[];
  skipped: Array<{ module: string; func: string; reason: string }>;
  events: Array<{ key: string; args: string[]; retval: string; error?: string; self: string }>;
}

/** Runs `node [pre…] --import preload ARGS` in `cwd` (a fresh cache unless given) and parses what the preload reported. */
export function runFixture(cwd: string, args: string[], env: Record<string, string> = {}, pre: string[] = []): FixtureResult {
  const cacheDir = env.MSCOPE_CACHE_DIR ?? mkdtempSync(`${tmpdir()}/mscope-test-`);
  const r = spawnSync(process.execPath, [...pre, '--import', PRELOAD, ...args], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: '', MSCOPE_ROOT: cwd, MSCOPE_CACHE_DIR: cacheDir, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const line = r.stderr.split('\n').find((l) => l.startsWith('MSCOPE_RESULT '));
  const parsed = line === undefined ? { counts: {}, probes: [], skipped: [], events: [] } : JSON.parse(line.slice('MSCOPE_RESULT '.length));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ...parsed };
}

export function nodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}
