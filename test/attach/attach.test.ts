import { test } from 'node:test';
import { withoutNotices } from '../cli/mscope.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { listeningSockets } from '../../src/attach/proc.js';
import { controlPath } from '../../src/weaver/control.js';
import { mscope, waitForOutput } from '../cli/mscope.js';
import {
  assertRefusedToNobody,
  asRoot,
  NOBODY,
  INSPECT_ANY_PORT,
  APPS,
  assertLeftAsFound,
  settledState,
  attach,
  requests,
  startApp,
  type App,
} from './harness.js';

/**
 * mscope attach PID to programs started plainly with node: counts exact for what happens
 * between attach and detach, and after detach the process as it was (its listeners, hooks,
 * threads, sockets and answers).
 */
// Quiet: these tests count requests; DTrace's CPU ID FUNCTION:NAME lines are tested in the golden cases.
const COUNT = '#pragma D option quiet\nhttp:server::request-done { @n = count(); } END { printa("requests %@d\\n", @n); }';

/**
 * The program's state once it has served a request: from Node 24 on, the first socket a
 * server destroys creates its stderr stream (Socket#_destroy reads process.stderr).
 */
async function servedState(app: App): Promise<unknown> {
  await app.get('/warm-up');
  return app.state();
}

/** The D counter; a TypeScript monitor that counts the same and prints the same line. */
const COUNTS = { d: ['-e', COUNT], ts: ['--monitor', 'count-requests.ts', '-q'] } as const;

async function traceOnce(
  app: App,
  args: readonly string[],
  n: number,
  counter: keyof typeof COUNTS = 'd',
): Promise<{ stdout: string; stderr: string; bodies: string[] }> {
  const a = attach([...args, String(app.pid), ...COUNTS[counter]]);
  await a.attached;
  const bodies = await requests(app, n);
  const r = await a.detach();
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, stderr: r.stderr, bodies };
}

/** SIGUSR1's inspector on a free port: at Node's 9229 another test's inspector on the machine made it fail to bind. */

const PROGRAMS: Array<[string, string[]]> = [
  ['a CommonJS program', [INSPECT_ANY_PORT, 'server.cjs']],
  ['an ES module program', [INSPECT_ANY_PORT, 'server.mjs']],
  ['a TypeScript program run by tsx', [INSPECT_ANY_PORT, '--import', 'tsx', 'server.ts']],
  ['a worker-thread program (its main thread)', [INSPECT_ANY_PORT, 'workers.mjs']],
];

for (const [what, args] of PROGRAMS) {
  test(`attach to ${what}: exact counts, and detach leaves it as it was; a second attach works`, async () => {
    const app = await startApp(args);
    try {
      const untraced = await requests(app, 12);
      const before = await app.state();
      const sockets = listeningSockets(app.pid);
      const first = await traceOnce(app, ['attach'], 12);
      assert.equal(first.stdout, 'requests 12\n');
      assert.match(
        first.stderr,
        new RegExp(
          `^mscope: attached to process ${app.pid} \\(Node\\.js v[\\d.]+\\) through its inspector, closed again, in \\d+ ms; \\^C detaches$`,
          'm',
        ),
      );
      assert.match(first.stderr, new RegExp(`^mscope: detached from process ${app.pid}$`, 'm'));
      assert.deepEqual(first.bodies, untraced);
      assertLeftAsFound(await app.state(), before);
      assert.deepEqual(listeningSockets(app.pid), sockets);
      assert.deepEqual(await requests(app, 12), untraced);
      // The DTrace spelling, once more on the same process.
      const second = await traceOnce(app, ['run', '-p'], 5);
      assert.equal(second.stdout, 'requests 5\n');
      assertLeftAsFound(await app.state(), before);
      assert.deepEqual(listeningSockets(app.pid), sockets);
      assert.equal(await app.end(), 0);
      // Node's own lines for SIGUSR1 aside, the program wrote nothing.
      assert.deepEqual(
        app
          .stderr()
          .split('\n')
          .filter((l) => l !== '' && !/^(Debugger (listening|attached|ending)|For help, see)/.test(l)),
        [],
      );
    } finally {
      app.child.kill();
    }
  });
}

test('attach with a TypeScript monitor: mscope compiles it first; detach leaves the process as it was', async () => {
  const app = await startApp(['server.cjs']);
  try {
    const before = await servedState(app);
    const r = await traceOnce(app, ['attach'], 5, 'ts');
    assert.equal(r.stdout, 'requests 5\n', r.stderr);
    assertLeftAsFound(await app.state(), before);
  } finally {
    app.child.kill();
  }
});

test('eight attach and detach cycles in a row: the process survives each and answers the same', async () => {
  // A close of the inspector while mscope's session was still connected crashed Node (SIGSEGV) about one cycle in ten under load.
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  try {
    const untraced = await requests(app, 3);
    const before = await app.state();
    for (let cycle = 0; cycle < 8; cycle++) {
      const r = await traceOnce(app, ['attach'], 3);
      assert.equal(r.stdout, 'requests 3\n', `cycle ${cycle}: ${app.stderr()}`);
      assert.deepEqual(r.bodies, untraced);
    }
    assertLeftAsFound(await app.state(), before);
    assert.equal(await app.end(), 0);
  } finally {
    app.child.kill();
  }
});

test('exit() in the program detaches; the process runs on untouched', async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  try {
    const before = await servedState(app);
    const a = attach([
      'attach',
      String(app.pid),
      '-q',
      '-e',
      'http:server::request-done { @n = count(); } http:server::request-done /++done == 3/ { exit(7); } END { printa("%@d\\n", @n); }',
    ]);
    await a.attached;
    await requests(app, 3);
    const r = await a.done;
    assert.equal(r.status, 7, r.stderr);
    assert.equal(r.stdout, '3\n');
    assertLeftAsFound(await app.state(), before);
  } finally {
    app.child.kill();
  }
});

// mscope attach injects the agent while it compiles (cli/commands/run-start.ts): what ends mscope before the monitors are written leaves nothing.
for (const [what, script, status] of [
  ['a script that does not compile', 'http:server::request-done { @n = count() ', 1],
  ['BEGIN calling exit()', 'BEGIN { exit(3); } http:server::request-done { @n = count(); }', 3],
] as const) {
  test(`attach ended before the monitors are sent (${what}): the injected agent starts nothing, the inspector is closed`, async () => {
    const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
    try {
      const untraced = await requests(app, 3);
      const before = await servedState(app);
      const r = await mscope(['attach', String(app.pid), '-q', '-e', script], APPS);
      assert.equal(r.status, status, r.stderr);
      assert.doesNotMatch(r.stderr, /attached to process/);
      if (status === 1) {
        assert.match(r.stderr, /^-e:1:42: expected `;`, found end of input \[D2001\]$/m);
        // The process was signalled before the compile ended: it was attached to early.
        assert.match(app.stderr(), /^Debugger listening on ws:\/\/127\.0\.0\.1:/m);
      }
      assertLeftAsFound(await settledState(app, before), before);
      assert.deepEqual(await requests(app, 3), untraced);
      // Attached to again at once: no agent of the first is still waiting.
      const again = await traceOnce(app, ['attach'], 4);
      assert.equal(again.stdout, 'requests 4\n');
      assertLeftAsFound(await app.state(), before);
    } finally {
      app.child.kill();
    }
  });
}

test('a program with no socket and no stderr of its own is left without them', async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'quiet.cjs']);
  try {
    const before = await app.state();
    const a = attach(['attach', String(app.pid), '-q', '-e', 'tick-10ms /++n == 3/ { exit(0); }']);
    await a.attached;
    const r = await a.done;
    assert.equal(r.status, 0, r.stderr);
    assertLeftAsFound(await app.state(), before);
    assert.equal(await app.end(), 0);
  } finally {
    app.child.kill();
  }
});

test('when the attached process exits, mscope prints what it gathered and says so', async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.mjs']);
  const a = attach(['attach', String(app.pid), '-e', COUNT]);
  await a.attached;
  await requests(app, 4);
  assert.equal(await app.end(), 0);
  const r = await a.done;
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'requests 4\n');
  assert.match(r.stderr, new RegExp(`^mscope: process ${app.pid} has exited$`, 'm'));
});

test('a process started with the preload is attached through its control socket: no inspector', async () => {
  const app = await startApp(['--import', 'microscope/register', 'server.mjs']);
  try {
    const before = await servedState(app);
    const r = await traceOnce(app, ['attach'], 6);
    assert.equal(r.stdout, 'requests 6\n');
    assert.match(r.stderr, /through its control socket/);
    assertLeftAsFound(await app.state(), before);
    assert.doesNotMatch(app.stderr(), /Debugger/);
    // Its own control socket stays: mscope links still reaches it.
    const links = await mscope(['links', String(app.pid)], APPS);
    assert.equal(links.status, 0, links.stderr);
  } finally {
    app.child.kill();
  }
});

test('a socket file left by an earlier process with the same pid is not taken for the preload', async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  try {
    const path = controlPath(app.pid);
    // One may be there already, left by an earlier process given this pid (CI, where pids come round fast).
    rmSync(path, { force: true });
    // A listener killed before it could remove its socket file: what SIGKILL or SIGTERM leaves.
    const stale = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await waitForOutput(stale, 'up\n');
    stale.kill('SIGKILL');
    await new Promise((resolve) => stale.once('exit', resolve));
    const r = await traceOnce(app, ['attach'], 3);
    assert.equal(r.stdout, 'requests 3\n');
    assert.match(r.stderr, /through its inspector, closed again/);
  } finally {
    app.child.kill();
  }
});

test('refusals: one line each, a non-zero exit, and the process untouched', async (t) => {
  await t.test('no such process', async () => {
    const r = await mscope(['attach', String(2 ** 22 + 12345), '-e', COUNT], APPS);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `mscope attach: no process ${2 ** 22 + 12345}\n`);
  });
  await t.test('not a Node.js process: no signal is sent to it', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const r = await mscope(['attach', String(sleeper.pid), '-e', COUNT], APPS);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`^mscope attach: process ${sleeper.pid} is not a Node\\.js process \\(.*sleep\\)\\n$`));
      assert.equal(sleeper.exitCode, null);
      assert.equal(sleeper.signalCode, null);
    } finally {
      sleeper.kill();
    }
  });
  await t.test('an inspector opened with --inspect', async () => {
    const app = await startApp(['--inspect=127.0.0.1:0', 'server.cjs']);
    try {
      const r = await mscope(['attach', String(app.pid), '-e', COUNT], APPS);
      assert.equal(r.status, 1);
      assert.equal(
        r.stderr,
        `mscope attach: process ${app.pid} already has an inspector open (started with --inspect=127.0.0.1:0); mscope attaches only through an inspector it opens itself\n`,
      );
    } finally {
      app.child.kill();
    }
  });
  await t.test('an inspector the program opened itself', async () => {
    const app = await startApp(['-e', "require('node:inspector').open(0, '127.0.0.1'); require('./server.cjs')"]);
    try {
      const r = await mscope(['attach', String(app.pid), '-e', COUNT], APPS);
      assert.equal(r.status, 1);
      assert.match(
        withoutNotices(r.stderr),
        new RegExp(
          `^mscope attach: process ${app.pid} already has an inspector open \\(.*\\); mscope attaches only through an inspector it opens itself\\n$`,
        ),
      );
      assert.deepEqual(await requests(app, 2), await requests(app, 2));
    } finally {
      app.child.kill();
    }
  });
  await t.test('an inspector port off loopback', async () => {
    const app = await startApp(['--inspect-port=0.0.0.0:0', 'server.cjs']);
    try {
      const r = await mscope(['attach', String(app.pid), '-e', COUNT], APPS);
      assert.equal(r.status, 1);
      assert.match(
        r.stderr,
        /^mscope attach: process \d+ would open its inspector on 0\.0\.0\.0 \(--inspect-port=0\.0\.0\.0:0\): attach opens it on loopback only\n$/,
      );
      assert.equal(((await app.state()) as { inspector: unknown }).inspector, null);
    } finally {
      app.child.kill();
    }
  });
  await t.test('a process another mscope is attached to', async () => {
    const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
    try {
      const first = attach(['attach', String(app.pid), '-e', COUNT]);
      await first.attached;
      const r = await mscope(['attach', String(app.pid), '-e', COUNT], APPS);
      assert.equal(r.status, 1);
      assert.equal(withoutNotices(r.stderr), `mscope attach: process ${app.pid}: this process is already traced by mscope\n`);
      await requests(app, 3);
      const done = await first.detach();
      assert.equal(done.stdout, 'requests 3\n');
    } finally {
      app.child.kill();
    }
  });
  await t.test('usage: no PID, a bad PID, nothing to trace, --modules', async () => {
    for (const [args, message] of [
      [['attach'], 'mscope attach: expected one PID'],
      [['attach', 'abc', '-e', COUNT], 'mscope attach: PID must be a process id, got "abc"'],
      [['attach', String(process.pid)], 'mscope attach: nothing to trace: give -e, -s or --monitor'],
      [
        ['attach', String(process.pid), '--modules', 'lib/*', '-e', COUNT],
        'mscope attach: --modules is not available with attach (it needs the load-time rewrite)',
      ],
      [['run', '-p', String(process.pid), '-e', COUNT, '--', 'node'], 'mscope run: -p PID and -- CMD exclude each other'],
    ] as const) {
      const r = await mscope(args, APPS);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, `${message}\n`);
    }
  });
});

interface LoadTotals {
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** fixtures/attach/load.mjs: `bound` requests, or with 'stdin' until stop() is called. */
function load(port: number, bound: string, path = '/load'): { totals: Promise<LoadTotals>; stop(): void } {
  const child = spawn(process.execPath, ['load.mjs', String(port), bound, path], { cwd: APPS, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const totals = new Promise<LoadTotals>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load.mjs exited ${code}`)))),
  );
  return { totals, stop: () => child.stdin.end() };
}

test('an HTTP server under load: every request sent after attach counted once, none failed across attach and detach', async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  // From before the attach until after the detach.
  const background = load(app.port, 'stdin');
  try {
    const a = attach([
      'attach',
      String(app.pid),
      '-q',
      '-e',
      'http:server::request-done /args[0].url == "/counted"/ { @n = count(); } END { printa("%@d\\n", @n); }',
    ]);
    await a.attached;
    // A bounded load of its own URL: exactly these requests match the predicate.
    const counted = await load(app.port, '2000', '/counted').totals;
    const r = await a.detach();
    // One more answer while the background load still runs: the server serves on after the detach.
    await app.get('/after-detach');
    background.stop();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(counted.ok, 2000);
    assert.equal(r.stdout, '2000\n');
    const bg = await background.totals;
    assert.ok(bg.total > 0);
    assert.deepEqual({ non2xx: bg.non2xx, errors: bg.errors, timeouts: bg.timeouts }, { non2xx: 0, errors: 0, timeouts: 0 });
  } finally {
    background.stop();
    app.child.kill();
  }
});

// "Another local user" is nobody (65534), as in test/faults/security.test.ts; switching to it needs root.
test("another user's process: refused to that user's neighbour, attached by root", { skip: asRoot }, async (t) => {
  await t.test('nobody may not attach to a process of root', async () => {
    const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
    try {
      await assertRefusedToNobody(app, ['attach', String(app.pid), '-e', COUNT], 'attach');
    } finally {
      app.child.kill();
    }
  });
  await t.test("root attaches to nobody's process: its agent writes root's session as that user", async () => {
    const app = await startApp([INSPECT_ANY_PORT, 'server.cjs'], {
      uid: NOBODY,
      gid: NOBODY,
      env: { ...process.env, XDG_RUNTIME_DIR: '' },
    });
    try {
      const before = await servedState(app);
      const r = await traceOnce(app, ['attach'], 5);
      assert.equal(r.stdout, 'requests 5\n');
      assertLeftAsFound(await app.state(), before);
    } finally {
      app.child.kill();
    }
  });
  // The compiled monitor is root's file in root's session until mscope hands both to nobody.
  await t.test("root attaches to nobody's process with a TypeScript monitor: the process reads mscope's compiled copy", async () => {
    const app = await startApp(['server.cjs'], { uid: NOBODY, gid: NOBODY, env: { ...process.env, XDG_RUNTIME_DIR: '' } });
    try {
      const r = await traceOnce(app, ['attach'], 5, 'ts');
      assert.equal(r.stdout, 'requests 5\n', r.stderr);
    } finally {
      app.child.kill();
    }
  });
});
