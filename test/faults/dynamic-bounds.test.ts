import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { APP, FIXTURES } from './harness.js';
import { mscope } from '../cli/mscope.js';

/**
 * aggsize and dynvarsize (issue 10): a D program keying on a value unique to each event (work()'s argument)
 * holds no more than the bound, and says how much it dropped, as DTrace does.
 */
const EVENTS = 20_000;

async function run(script: string, options: readonly string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return mscope(['run', '-q', ...options, '-e', script, '--', 'node', APP, String(EVENTS), 'return'], FIXTURES);
}

function dropped(stderr: string, what: string): number {
  const m = new RegExp(`^mscope: (\\d+) ${what} drops?$`, 'm').exec(stderr);
  return m === null ? 0 : Number(m[1]);
}

test('aggsize: an aggregation keyed on a unique value per event keeps within the bound and prints its drops', async () => {
  // 64 KiB holds a few hundred tuples: the other events are drops, in the agent or in mscope.
  const r = await run('fn::work:entry { @[arg0] = count(); }', ['-x', 'aggsize=64k']);
  assert.equal(r.status, 0, r.stderr);
  const tuples = r.stdout.split('\n').filter((l) => /^\s+\d+\s+1$/.test(l)).length;
  assert.ok(tuples > 0 && tuples < 1000, `${tuples} tuples printed; stderr:\n${r.stderr}`);
  assert.equal(tuples + dropped(r.stderr, 'aggregation'), EVENTS, r.stderr);
});

test('dynvarsize: an associative array keyed on a unique value per event keeps within the bound and prints its drops', async () => {
  const r = await run('fn::work:entry { seen[arg0] = 1; n++; } END { printf("%d\\n", n); }', ['-x', 'dynvarsize=64k']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `fired ${EVENTS} sum 119991\n${EVENTS}\n`);
  const drops = dropped(r.stderr, 'dynamic variable');
  // 64 KiB holds well under a thousand elements of this size.
  assert.ok(drops > EVENTS - 1000 && drops < EVENTS, r.stderr);
});

test('dynvarsize: self-> variables of many live contexts keep within the bound and print their drops', async () => {
  const contexts = 5000;
  // Each context stores self->x once; the second clause counts the contexts whose store was kept.
  const script = 'fn::work:entry { self->x = arg0 + 1; } fn::work:entry /self->x/ { kept++; } END { printf("%d\\n", kept); }';
  const r = await mscope(
    ['run', '-q', '-x', 'dynvarsize=64k', '-e', script, '--', 'node', join(FIXTURES, 'contexts.cjs'), String(contexts)],
    FIXTURES,
  );
  assert.equal(r.status, 0, r.stderr);
  const m = /^contexts 5000\n(\d+)\n$/.exec(r.stdout);
  assert.ok(m !== null, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  const kept = Number(m[1]);
  const drops = dropped(r.stderr, 'dynamic variable');
  // 64 KiB holds about 1,300 slots of 48 bytes: the other stores are drops, each counted once.
  assert.ok(kept > 0 && kept < 2000, `${kept} contexts kept self->x; stderr:\n${r.stderr}`);
  assert.equal(kept + drops, contexts, r.stderr);
});
