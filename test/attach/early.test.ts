import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { AttachTarget } from '../../src/attach/attach-target.js';
import { waitForOutput } from '../cli/mscope.js';
import { APPS, INSPECT_ANY_PORT, assertLeftAsFound, attach, requests, startApp, type App } from './harness.js';

/**
 * `mscope attach` injects the agent before it has compiled (AttachTarget.hold, from
 * cli/commands/run-start.ts): the inspector is closed as soon as mscope's session has gone, not
 * when the agent is up, and an agent whose monitors never come starts nothing.
 */

// The bootstrap mscope injects is the build's (dist/attach/bootstrap.cjs): the sources have none to inject.
const needsBuild = process.env.MSCOPE_TEST_TSX === '1' ? 'injects the built bootstrap (dist/attach/bootstrap.cjs)' : false;

const COUNT = 'http:server::request-done { @n = count(); } END { printa("%@d\\n", @n); }';

type State = { inspector: string | null; resources: Record<string, number>; threads: number };

/**
 * The program's state once `done` holds of it, or after 20 s: the inspector closes within ~100
 * ms of mscope's end, but a full run on Node 24, four files at once, once still saw it open at 5 s.
 */
async function stateWhen(app: App, done: (s: State) => boolean): Promise<State> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = (await app.state()) as State;
    if (Date.now() > deadline || done(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sameAs =
  (before: unknown) =>
  (s: State): boolean => {
    const { threads: _a, ...now } = s;
    const { threads: _b, ...then } = before as State;
    return JSON.stringify(now) === JSON.stringify(then);
  };

test('the inspector closes once mscope has disconnected, while the agent still waits for its monitors', { skip: needsBuild }, async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  try {
    const untraced = await requests(app, 3);
    const before = await app.state();
    const target = new AttachTarget(app.pid);
    const options = { root: APPS };
    target.hold(options, ['d']);
    await target.prepare(target.session!, options, []);
    // No monitors were written: the agent waits (an unref'd watch, not among the program's resources), the inspector is closed.
    assert.equal((await stateWhen(app, (s) => s.inspector === null)).inspector, null);
    assert.deepEqual(await requests(app, 3), untraced);
    // mscope ends without sending monitors (a compile error): the session goes, and the agent with it.
    target.dispose();
    assertLeftAsFound(await stateWhen(app, sameAs(before)), before);
    // No agent of that attach waits on: the next one attaches.
    const next = attach(['attach', String(app.pid), '-q', '-e', COUNT]);
    await next.attached;
    await requests(app, 2);
    const r = await next.detach();
    assert.equal(r.stdout, '2\n', r.stderr);
    assertLeftAsFound(await app.state(), before);
  } finally {
    app.child.kill();
  }
});

test('mscope killed after injecting: the inspector is closed and the waiting agent gives up', { skip: needsBuild }, async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  let session = '';
  try {
    const untraced = await requests(app, 3);
    const before = await app.state();
    const early = spawn(process.execPath, ['early-attach.mjs', String(app.pid)], { cwd: APPS, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    early.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    await waitForOutput(early, '\n');
    early.kill('SIGKILL');
    await new Promise((resolve) => early.once('exit', resolve));
    session = /^injected (.*)$/m.exec(out)?.[1] ?? '';
    assert.ok(existsSync(session), `session ${session}`);
    assertLeftAsFound(await stateWhen(app, sameAs(before)), before);
    assert.deepEqual(await requests(app, 3), untraced);
  } finally {
    app.child.kill();
    if (session !== '') rmSync(session, { recursive: true, force: true });
  }
});

// The bootstrap runs in a process that is not ours: an agent that cannot start (here its module
// does not exist) where mscope's session has gone too must not end the program. Its report used
// to throw from a promise's handler, an unhandled rejection that Node turns into an exit.
test('an agent that fails to start with no session left to report to warns, and the program goes on', { skip: needsBuild }, async () => {
  const BOOTSTRAP = new URL('../../dist/attach/bootstrap.cjs', import.meta.url).pathname;
  const request = { session: '/nonexistent/mscope-session', monitorsFile: '', options: {}, consumer: process.pid };
  const program = `require(${JSON.stringify(BOOTSTRAP)})('file:///nonexistent/target.js', ${JSON.stringify(request)}); setTimeout(() => console.log('still running'), 300);`;
  const child = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(status, 0, stderr);
  assert.equal(stdout, 'still running\n');
  assert.match(stderr, /mscope: the agent did not start in this process: .*target\.js/);
});
