import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope, withoutNotices } from './mscope.js';

// Conformance (CONVENTIONS 9): one program, three bindings, one answer.
const DIR = join(FIXTURES, 'bindings');
const BINDINGS = ['direct', 'shm', 'message'] as const;

test('a D program gives byte-identical stdout under -b direct, shm and message', async () => {
  const runs = await Promise.all(BINDINGS.map((b) => mscope(['run', '-b', b, '-s', 'parity.d', '--', 'node', 'parity.cjs'], DIR)));
  const [direct] = runs;
  for (const [i, r] of runs.entries()) {
    assert.equal(r.status, 0, `${BINDINGS[i]}: ${r.stderr}`);
    assert.equal(withoutNotices(r.stderr), '', `${BINDINGS[i]}: no drops, faults or warnings`);
  }
  // The expected numbers, so that three equally wrong outputs cannot pass.
  assert.match(direct!.stdout, /^parity: 498\n/);
  assert.match(direct!.stdout, /^\s+add\s+600$/m);
  assert.match(direct!.stdout, /^\s+alpha\s+30$/m);
  assert.match(direct!.stdout, /Distribution/);
  for (const [i, r] of runs.entries()) assert.equal(r.stdout, direct!.stdout, `${BINDINGS[i]} differs from direct`);
});

test('a D clause reading timestamp and elapsed gets real times under -b shm and message (clauses that do not skip the clock)', async () => {
  const script = 'fn::add:return { @t = max(timestamp > 0 ? 1 : 0); @e = max(elapsed > 0 ? 1 : 0); @n = count(); }';
  const runs = await Promise.all(BINDINGS.map((b) => mscope(['run', '-b', b, '-e', script, '--', 'node', 'parity.cjs'], DIR)));
  for (const [i, r] of runs.entries()) {
    assert.equal(r.status, 0, `${BINDINGS[i]}: ${r.stderr}`);
    assert.match(r.stdout, /^\s+1\n\s+1\n\s+600$/m, BINDINGS[i]);
  }
});

test('a TypeScript monitor gives byte-identical stdout under -b direct, shm and message', async () => {
  const runs = await Promise.all(
    BINDINGS.map((b) => mscope(['run', '-q', '-b', b, '--monitor', 'monitors/count.ts', '--', 'node', 'parity.cjs'], DIR)),
  );
  for (const [i, r] of runs.entries()) {
    assert.equal(r.status, 0, `${BINDINGS[i]}: ${r.stderr}`);
    assert.equal(r.stderr, '', `${BINDINGS[i]}: no drops or faults`);
    // 600 calls; arg0 is i % 97 for i < 600.
    assert.equal(r.stdout, 'parity: 498\nadd calls 600 sum 28089\n', BINDINGS[i]);
  }
});

test('a monitor file exporting onFlush without onMerge is rejected before CMD starts', async () => {
  const started = join(mkdtempSync(join(tmpdir(), 'mscope-bind-')), 'started');
  const r = await mscope(['run', '-b', 'message', '--monitor', 'monitors/flush-only.ts', '--', 'node', 'started.cjs'], DIR, {
    STARTED: started,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /monitors\/flush-only\.ts: exports onFlush without onMerge/);
  assert.equal(existsSync(started), false, 'the target was started');
});

test('-b shm with a clause reading args[0].url: exit 1 with the checker error, CMD never started', async () => {
  const started = join(mkdtempSync(join(tmpdir(), 'mscope-bind-')), 'started');
  const r = await mscope(['run', '-b', 'shm', '-e', 'fn::add:entry { @[args[0].url] = count(); }', '--', 'node', 'started.cjs'], DIR, {
    STARTED: started,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /the shm binding cannot give object arguments/);
  assert.equal(r.stdout, '');
  assert.equal(existsSync(started), false, 'the target was started');
  // The same program under message is accepted and runs the target: the refusal is the binding's.
  const ok = await mscope(['run', '-b', 'message', '-e', 'fn::add:entry { @[args[0].url] = count(); }', '--', 'node', 'started.cjs'], DIR, {
    STARTED: started,
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(existsSync(started), true);
});

test('process.exit() with events still in a message worker: the loss is printed as drops, never silent', async () => {
  const r = await mscope(['run', '-q', '-b', 'message', '--monitor', 'monitors/count.ts', '--', 'node', 'exits.cjs'], DIR);
  assert.equal(r.status, 0, r.stderr);
  const counted = Number(/^add calls (\d+) /m.exec(r.stdout)?.[1]);
  const dropped = Number(
    /^mscope: (\d+) drops \(events in a shm or message binding when their process exited\)$/m.exec(r.stderr)?.[1] ?? 0,
  );
  assert.equal(counted + dropped, 1000, `${r.stdout}${r.stderr}`);
});
