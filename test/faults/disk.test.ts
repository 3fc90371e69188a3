import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, collect, FIXTURES, mscope, withoutNotices, withTempDir, type Result } from '../cli/mscope.js';
import { AgentChannel, SEGMENT_BYTES } from '../../src/agent/channel.js';
import { SessionReader } from '../../src/consumer/reader.js';

// A full disk under the session directory: a 1 MB tmpfs as TMPDIR, where mounting is allowed.
const dir = fileURLToPath(new URL('../fixtures/cli-faults/', import.meta.url));
const PRINTF = `fn::add:entry { printf("%d ${'x'.repeat(100)}\\n", arg0); }`;

function smallTmpfs(): string | null {
  const mnt = mkdtempSync(join(tmpdir(), 'mscope-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
  if (r.status === 0) return mnt;
  rmSync(mnt, { recursive: true, force: true });
  return null;
}

const mnt = process.platform === 'linux' && process.getuid?.() === 0 ? smallTmpfs() : null;

test(
  'a full disk under the session directory never reaches the program; the loss is reported',
  { skip: mnt === null ? 'mounting a tmpfs needs root and a kernel that allows it here' : false, timeout: 60_000 },
  async () => {
    try {
      const r = await mscope(['run', '-e', PRINTF, '--', 'node', 'many-calls.mjs'], dir, { TMPDIR: mnt! });
      // The program's own output is whole; mscope's is not, and its status says so.
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /^done$/m);
      // Reported by the agent when a later write gets through, else by mscope: the final report never
      // came, or the disk filled in the middle of a message and mscope found it cut short.
      assert.match(
        r.stderr,
        /^mscope: (process \d+ could not write \d+ messages? to \S+ \(ENOSPC\): its results are incomplete|process \d+ sent no final report .*|\d+ agent messages were cut short .*)$/m,
      );
      assert.doesNotMatch(r.stderr, /Error/);
    } finally {
      spawnSync('umount', [mnt!], { stdio: 'ignore' });
      rmSync(mnt!, { recursive: true, force: true });
    }
  },
);

/**
 * Runs mscope under a file size limit (`ulimit -f`, in blocks of 512 or 1024 bytes by the shell):
 * every write past it fails with EFBIG, in mscope, in the agent and in CMD alike, as on a full disk,
 * and it needs no privilege.
 */
function underFileLimit(blocks: number, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = dir): Promise<Result> {
  const child = spawn('sh', ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, BIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

for (const [what, monitor, file] of [
  ['a D program', ['-e', 'fn::add:entry { @ = count(); }'], 'monitors.json'],
  ['a TypeScript monitor', ['--monitor', join(FIXTURES, 'monitors/count.ts')], 'monitor-0.mjs'],
] as const) {
  test(
    `a session directory that cannot take ${what}: one line, CMD never runs, and nothing is left behind`,
    { timeout: 30_000 },
    async () => {
      await withTempDir('mscope-nowrite-', async (tmp) => {
        const r = await underFileLimit(0, ['run', '-q', ...monitor, '--', 'node', 'once.mjs'], { TMPDIR: tmp });
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stdout, '');
        assert.equal(
          withoutNotices(r.stderr).replace(/\/mscope-\w+\//, '/SESSION/'),
          `mscope: cannot write ${tmp}/SESSION/${file}: EFBIG\n`,
        );
        assert.deepEqual(
          readdirSync(tmp).filter((f) => /^mscope-[^-]+$/.test(f) && f !== `mscope-${process.getuid?.() ?? 0}`),
          [],
        );
      });
    },
  );
}

test('an agent whose final report does not fit says so, and mscope exits 1 for a CMD that succeeded', { timeout: 60_000 }, async () => {
  await withTempDir('mscope-nofit-', async (tmp) => {
    // 100,000 keys: the final report is megabytes, past the limit; the line saying so is not.
    const r = await underFileLimit(16, ['run', '-q', '-e', 'fn::add:entry { @[arg0] = count(); }', '--', 'node', 'many-calls.mjs'], {
      TMPDIR: tmp,
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, 'done\n');
    assert.match(r.stderr, /^mscope: process \d+ could not write \d+ messages? to \S+ \(EFBIG\): its results are incomplete$/m);
  });
});

test('mscope blocks and mscope top whose agent could not write its results exit 1, as run does', { timeout: 60_000 }, async () => {
  await withTempDir('mscope-nofit-', async (tmp) => {
    const blocks = await underFileLimit(2, ['blocks', '--', 'node', 'many-calls.mjs'], { TMPDIR: tmp });
    assert.match(blocks.stderr, /could not write \d+ messages? to \S+ \(EFBIG\): its results are incomplete$/m);
    assert.equal(blocks.status, 1, blocks.stderr);
    // 3,000 functions: a refresh's delta is larger than the limit, the monitors file is not.
    const fns = Array.from({ length: 3000 }, (_, i) => `export function f${i}(x) { return x + ${i}; }\n`).join('');
    writeFileSync(join(tmp, 'fns.mjs'), fns);
    writeFileSync(join(tmp, 'main.mjs'), 'import * as m from "./fns.mjs";\nfor (const f of Object.values(m)) f(1);\n');
    const top = await underFileLimit(16, ['top', '-b', '--', 'node', 'main.mjs'], { TMPDIR: tmp }, tmp);
    assert.match(top.stderr, /could not write \d+ messages? to \S+ \(EFBIG\): its results are incomplete$/m);
    assert.equal(top.status, 1, top.stderr);
  });
});

test('-o on a file that fills part-way: the file and stdout together hold the output once', { timeout: 30_000 }, async () => {
  await withTempDir('mscope-ofull-', async (tmp) => {
    const out = join(tmp, 'out.txt');
    const text = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}\n`).join('');
    // Printed by mscope itself, a line a tick: the file fills in the middle of one of its writes.
    const program = `int i; tick-1ms { printf("line %03d ${'x'.repeat(40)}\\n", i); i++; } tick-1ms /i == 100/ { exit(0); }`;
    const r = await underFileLimit(4, ['run', '-q', '-o', out, '-e', program, '--', 'node', 'forever.mjs']);
    assert.equal(r.status, 1, r.stderr);
    const written = readFileSync(out, 'utf8');
    assert.ok(written.length > 0 && written.length < text.length, `${written.length} of ${text.length} bytes in the file`);
    assert.equal(written + r.stdout, text);
    // forever.mjs says its pid on stderr, in its own time; on a loaded machine its Node may not
    // have started by the program's exit() 100 ms in, and mscope then says nothing was traced.
    const said = withoutNotices(r.stderr)
      .replace(/^pid \d+\n/m, '')
      .replace(/^mscope: no Node\.js process started by the command reported back; nothing was traced\n/m, '');
    assert.match(said, /^mscope: cannot write \S+out\.txt: EFBIG; the rest of the output goes to stdout\n$/);
  });
});

// sql.js (Node 20, and 22.0-22.4) keeps the database in memory and writes the file whole at each
// save; node:sqlite writes it row by row from the start, so the limit refuses the store at once.
const sqlJs = Number(process.versions.node.split('.')[0]) < 22 || !hasNodeSqlite();

for (const program of ['once.mjs', 'once-then-wait.mjs']) {
  test(
    `an accounting store that fills: one line, nothing left beside it, and mscope does not exit 0 (${program})`,
    { timeout: 60_000 },
    async () => {
      await withTempDir('mscope-storefull-', async (tmp) => {
        const r = await underFileLimit(4, ['run', '--acct', '--store', join(tmp, 'acct.db'), '--', 'node', program]);
        if (sqlJs) {
          assert.equal(r.status, 1, r.stderr);
          assert.equal(r.stdout, 'done\n');
          assert.match(r.stderr, /^mscope: store \S+acct\.db failed: EFBIG\b.*$/m);
          assert.match(r.stderr, /^mscope: accounting: \d+ activit(y|ies) recorded; the store \S+acct\.db failed \(above\)$/m);
        } else {
          assert.equal(r.status, 2, r.stderr);
          assert.equal(r.stdout, '');
          assert.match(r.stderr, /^mscope: cannot open store \S+acct\.db: disk I\/O error$/m);
          // The file it created for the store is gone again.
          assert.deepEqual(readdirSync(tmp), []);
        }
        assert.deepEqual(
          readdirSync(tmp).filter((f) => f !== 'acct.db'),
          [],
        );
      });
    },
  );
}

function hasNodeSqlite(): boolean {
  try {
    createRequire(import.meta.url)('node:sqlite');
    return true;
  } catch {
    return false;
  }
}

test('the session files stay bounded: an agent continues in a new file, and mscope deletes each once read', () => {
  withTempDir('mscope-segments-', (session) => {
    const channel = new AgentChannel(join(session, '5.ndjson'));
    let read = 0;
    const reader = new SessionReader(session, () => read++);
    const text = 'y'.repeat(64 * 1024);
    let most = 0;
    for (let i = 0; i < 400; i++) {
      channel.send({ t: 'output', text });
      channel.flush();
      if (i % 20 === 19) reader.poll();
      most = Math.max(most, diskUse(session));
    }
    channel.close();
    reader.poll();
    reader.close();
    assert.equal(read, 400);
    assert.ok(most <= 2 * SEGMENT_BYTES, `${most} bytes in the session directory for ${400 * text.length} written`);
  });
});

test("a message cut short at a file's end is counted, and the next file's first message is still read", () => {
  withTempDir('mscope-cut-', (session) => {
    const line = (text: string): string => `${JSON.stringify({ t: 'output', text, at: 1 })}\n`;
    // The agent began a new file after a write that failed part-way (AgentChannel.flush).
    writeFileSync(join(session, '5.ndjson'), `${line('a')}${line('b').slice(0, 9)}`);
    writeFileSync(join(session, '5.ndjson.1'), line('c'));
    const read: string[] = [];
    const reader = new SessionReader(session, (_pid, m) => read.push(m.t === 'output' ? m.text : m.t));
    reader.poll();
    reader.poll();
    reader.close();
    assert.deepEqual(read, ['a', 'c']);
    assert.deepEqual([...reader.corrupt], [[5, 1]]);
  });
});

function diskUse(path: string): number {
  return readdirSync(path).reduce((n, f) => n + statSync(join(path, f)).size, 0);
}
