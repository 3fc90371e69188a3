import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, ROOT, mscope } from '../cli/mscope.js';

// A session whose monitors all run in mscope (END, tick-N) links nothing in any process: the
// processes started in it preload one CommonJS file by --require (lib/agent/register-light.cjs)
// instead of the agent's --import, so a CommonJS program never starts the ES module loader.
const DIR = join(FIXTURES, 'light');

interface ChildReport {
  nodeOptions: string;
  esm: string[];
}

const plain = (): ChildReport =>
  JSON.parse(
    execFileSync(process.execPath, ['child.cjs'], { cwd: DIR, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }),
  ) as ChildReport;

function reportOf(stdout: string): ChildReport {
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line !== undefined, stdout);
  return JSON.parse(line) as ChildReport;
}

test("a held CMD that links nothing hands its children the light preload, which loads no more of Node's ES module loader than plain node", async () => {
  const r = await mscope(['run', '-q', '-e', 'END { printf("end\\n"); }', '--', process.execPath, 'parent.cjs'], DIR);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.endsWith('end\n'), r.stdout);
  const child = reportOf(r.stdout);
  assert.match(child.nodeOptions, /--require="[^"]*\/lib\/agent\/register-light\.cjs"/);
  assert.doesNotMatch(child.nodeOptions, /--import/);
  assert.deepEqual(child.esm, plain().esm);
});

test('a CMD started after the program is compiled gets the light preload from mscope, and its agent reports', async () => {
  const r = await mscope(['run', '-e', 'END { printf("end\\n"); }', '--', 'sh', '-c', `exec "${process.execPath}" child.cjs`], DIR);
  assert.equal(r.status, 0, r.stderr);
  // Without a report from the process, mscope says that nothing was traced.
  assert.doesNotMatch(r.stderr, /nothing was traced|no final report/);
  const child = reportOf(r.stdout);
  assert.match(child.nodeOptions, /register-light\.cjs/);
  assert.deepEqual(child.esm, plain().esm);
});

test('a session that links keeps the agent in every process', async () => {
  const r = await mscope(['run', '-q', '-e', 'fn::nothing:entry { @n = count(); }', '--', process.execPath, 'parent.cjs'], DIR);
  assert.equal(r.status, 0, r.stderr);
  const child = reportOf(r.stdout);
  assert.match(child.nodeOptions, /--import=file:\/\/[^ ]*\/agent\/register\.js/);
  assert.doesNotMatch(child.nodeOptions, /register-light/);
});

test("an mscope run inside a session that links nothing gives its CMD its own agent, not the outer session's light preload", async () => {
  const mscopeBin = join(ROOT, 'bin', 'mscope.js');
  const inner = [process.execPath, mscopeBin, 'run', '-e', 'fn::main:entry { @n = count(); } END { printa("inner %@d\\n", @n); }', '--'];
  const r = await mscope(['run', '-e', 'END { printf("outer end\\n"); }', '--', ...inner, process.execPath, 'main.cjs'], DIR);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /light preload/);
  assert.match(r.stdout, /:END inner 1$/m);
  assert.match(r.stdout, /outer end/);
});
