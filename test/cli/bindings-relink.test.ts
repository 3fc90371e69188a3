import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { controlRequest } from '../../src/weaver/index.js';
import { FIXTURES, collect, mscope, spawnMscope, waitForOutput, type Result } from './mscope.js';

const DIR = join(FIXTURES, 'bindings');
const RELINKS = 30;
const CYCLE = ['shm', 'message', 'direct'] as const;

/** Starts busy.cjs under mscope; resolves with the target's pid once it runs. */
async function startBusy(
  monitorArgs: string[],
): Promise<{ pid: number; done: Promise<Result>; output: () => string; child: ReturnType<typeof spawnMscope> }> {
  const child = spawnMscope(['run', ...monitorArgs, '--', 'node', 'busy.cjs'], DIR);
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const done = collect(child);
  await waitForOutput(child, 'ready ');
  const pid = Number(/ready (\d+)/.exec(stdout)?.[1]);
  assert.ok(pid > 0, stdout);
  return { pid, done, output: () => stdout, child };
}

/** The link ids `mscope links PID` lists, with their bindings. */
async function listLinks(pid: number): Promise<Array<{ id: number; binding: string; drops: number }>> {
  const r = await mscope(['links', String(pid)], DIR);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').slice(1);
  return rows.map((line) => {
    const [id, binding, , drops] = line.trim().split(/\s+/);
    return { id: Number(id), binding: binding!, drops: Number(drops) };
  });
}

/** Relinks `link` of `pid` through the real CLI, as a user would. */
async function relinkByCli(pid: number, link: number, binding: string): Promise<void> {
  const r = await mscope(['relink', String(pid), String(link), binding], DIR);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `link ${link} of process ${pid} is now bound by ${binding}\n`);
}

/** Relinks `link` with the control-socket client `mscope relink` calls, in this process: no CLI start per step. */
async function relinkInProcess(pid: number, link: number, binding: (typeof CYCLE)[number]): Promise<void> {
  const r = await controlRequest(pid, { op: 'relink', link, binding });
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(
    r.links!.map((l) => [l.id, l.binding]),
    [[link, binding]],
  );
}

/**
 * Relinks a busy link RELINKS times through every binding; each switch is followed by a signalled
 * batch. The first switch goes through `mscope relink`; the rest through its client function.
 */
async function relinkMany(monitorArgs: string[], finalCount: (stdout: string) => number): Promise<void> {
  const t = await startBusy(monitorArgs);
  const [l] = await listLinks(t.pid);
  assert.ok(l !== undefined && l.id > 0);
  for (let i = 0; i < RELINKS; i++) {
    const binding = CYCLE[i % CYCLE.length]!;
    if (i === 0) await relinkByCli(t.pid, l.id, binding);
    else await relinkInProcess(t.pid, l.id, binding);
    // A batch through the new binding, acknowledged by the target: events flow through each.
    process.kill(t.pid, 'SIGUSR2');
    await waitForOutput(t.child, `batch ${i + 1} done\n`);
  }
  const [after] = await listLinks(t.pid);
  assert.equal(after!.binding, CYCLE[(RELINKS - 1) % CYCLE.length]);
  process.kill(t.pid, 'SIGUSR1');
  const r = await t.done;
  assert.equal(r.status, 0, r.stderr);
  const calls = Number(/^calls (\d+)$/m.exec(r.stdout)?.[1]);
  assert.ok(calls >= RELINKS * 200, r.stdout);
  assert.equal(finalCount(r.stdout), calls, 'every call counted exactly once');
  assert.doesNotMatch(r.stderr, /drop|fault/, r.stderr);
}

test(`a busy D clause relinked ${RELINKS} times between direct, shm and message counts every call once`, () =>
  relinkMany(['-e', 'fn::add:entry { @n = count(); } END { printa("counted %@d\\n", @n); }', '-q'], (out) =>
    Number(/^counted (\d+)$/m.exec(out)?.[1]),
  ));

test(`a busy TypeScript monitor relinked ${RELINKS} times between direct, shm and message counts every call once`, () =>
  relinkMany(['-q', '--monitor', 'monitors/count.ts'], (out) => Number(/^add calls (\d+) /m.exec(out)?.[1])));

test('mscope links and relink: one line and a non-zero exit for each bad request', async () => {
  const t = await startBusy(['-q', '-e', 'fn::add:entry { @n = count(); }']);
  const [l] = await listLinks(t.pid);
  // A live process that mscope does not trace: it has no control socket.
  const plain = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    const cases: Array<[string, string[], RegExp]> = [
      ['links, untraced pid', ['links', String(plain.pid)], new RegExp(`^mscope: .*process ${plain.pid} has no mscope control socket`)],
      [
        'relink, untraced pid',
        ['relink', String(plain.pid), '1', 'shm'],
        new RegExp(`^mscope: .*process ${plain.pid} has no mscope control socket`),
      ],
      ['links, not a pid', ['links', 'nope'], /^mscope links: PID must be a process id, got "nope"/],
      ['relink, unknown link', ['relink', String(t.pid), '9999', 'shm'], /^mscope relink: no link 9999\n$/],
      ['relink, bad link id', ['relink', String(t.pid), 'x1', 'shm'], /^mscope relink: LINK must be a link id/],
      [
        'relink, unknown binding',
        ['relink', String(t.pid), String(l!.id), 'carrier-pigeon'],
        /^mscope relink: unknown binding "carrier-pigeon"/,
      ],
    ];
    for (const [what, args, message] of cases) {
      const r = await mscope(args, DIR);
      assert.notEqual(r.status, 0, what);
      assert.equal(r.stdout, '', what);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${what}: ${r.stderr}`);
      assert.match(r.stderr, message, what);
    }
    // None of that touched the link.
    const [same] = await listLinks(t.pid);
    assert.equal(same!.binding, 'direct');
  } finally {
    plain.kill();
    process.kill(t.pid, 'SIGUSR1');
  }
  const r = await t.done;
  assert.equal(r.status, 0, r.stderr);
});
