import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { runInThisContext } from 'node:vm';
import { transform } from '../../src/modules/transform.js';
import { installRuntime } from '../../src/modules/runtime.js';
import { record } from '../modules/record-fn.js';

/**
 * The load-time rewrite's live mode (attach/splicer.ts) against V8's live edit in this process:
 * where the edit puts return points, and that V8 patches the running functions with it and
 * gives back the original text.
 */
installRuntime();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the loaded functions are untyped
type Exports = Record<string, any>;

/**
 * Short functions of every kind close together (test/fixtures/attach/dense-lib.cjs, also
 * spliced by splicer-scripts.test.ts): V8's line diff mispairs some of them. Lines are asserted
 * by number below, so the file carries no comment.
 */
const LIVE_SOURCE = readFileSync(new URL('../fixtures/attach/dense-lib.cjs', import.meta.url), 'utf8');

test('live edits (attach): each edited function keeps the line of its closing brace; one whose return points would share that line is edited for entry only', () => {
  const out = transform(LIVE_SOURCE, { module: 'm.js', format: 'commonjs', live: { prefix: '$ms1000_', select: () => true } });
  const before = LIVE_SOURCE.split('\n');
  const after = out.code.split('\n');
  assert.equal(after.length, before.length);
  for (const i of [2, 6, 9, 13, 18, 19, 23, 25]) assert.equal(after[i], before[i], `line ${i + 1} unchanged`);
  const exits = Object.fromEntries(out.entries!.map((e) => [out.sites[e.index]![0], e.exits]));
  // oneLine's `}` shares its line; outer's body ends on the line of inner's `}`.
  assert.deepEqual(exits, {
    plain: true,
    later: true,
    thrower: true,
    'K.m': true,
    outer: false,
    inner: true,
    fallsOff: true,
    empty: true,
    oneLine: false,
  });
  const entryOnly = transform(LIVE_SOURCE, {
    module: 'm.js',
    format: 'commonjs',
    live: { prefix: '$ms1000_', select: () => true, exits: (i) => out.sites[i]![0] === 'plain' },
  });
  assert.deepEqual(
    entryOnly.entries!.filter((e) => e.exits).map((e) => out.sites[e.index]![0]),
    ['plain'],
  );
});

/** Each function of LIVE_SOURCE as a script of its own: one changed region per edit (see the splicer's mispairing check). */
function liveScripts(): string[] {
  const body = LIVE_SOURCE.slice(0, LIVE_SOURCE.indexOf('module.exports'));
  // Not the async one: its edit back was refused as BlockedByActiveGenerator in about half the runs
  // of this file, though its one call had returned (test/attach/splice.test.ts covers it in a child process).
  return body
    .split(/\n(?=function|async|class)/)
    .filter((f) => !f.startsWith('async'))
    .map((f) => `${f.trimEnd()}\n`);
}

test('live edits (attach): V8 patches the running functions, return and error probes fire, and the original source is given back', async (t) => {
  const inspector = await import('node:inspector');
  const { moduleSites } = await import('../../src/modules/runtime.js');
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params: object): T => {
    let out: { error: Error | null; value: T } | undefined;
    session.post(method, params, (error, value) => (out = { error, value: value as T }));
    if (out!.error !== null) throw out!.error;
    return out!.value;
  };
  const ids = new Map<string, string>();
  session.on('Debugger.scriptParsed', (m: { params: { url: string; scriptId: string } }) => ids.set(m.params.url, m.params.scriptId));
  post('Debugger.enable', {});
  const module = 'live.js';
  const g = globalThis as Record<string, unknown>;
  const lib: Exports = {};
  const scripts: Array<{ id: string; original: string; prefix: string }> = [];
  const { events, unlink } = record(module);
  try {
    for (const [i, text] of liveScripts().entries()) {
      const name = /(?:function|class) (\w+)/.exec(text)![1]!;
      const original = `(function (lib) {${text}lib.${name} = ${name};\n})`;
      const url = `/live-${process.pid}-${i}.js`;
      (runInThisContext(original, { filename: url }) as (l: Exports) => void)(lib);
      const id = [...ids].find(([u]) => u.endsWith(url))![1];
      const prefix = `$ms${1000 + i}_`;
      const out = transform(original, { module, format: 'commonjs', live: { prefix, select: () => true } });
      const sites = moduleSites('fn', module, out.sites);
      g[`${prefix}S`] = sites.state;
      g[`${prefix}N`] = sites.enter;
      g[`${prefix}U`] = sites.untracked;
      scripts.push({ id, original, prefix });
      let edited: { status?: string };
      try {
        edited = post('Debugger.setScriptSource', { scriptId: id, scriptSource: out.code });
      } catch (error) {
        if (!/no longer available/.test(String(error))) throw error;
        t.skip("this Node's V8 has no live edit");
        return;
      }
      assert.equal(edited.status ?? 'Ok', 'Ok');
    }
    const inner = lib.outer();
    const k = new lib.K();
    assert.equal(lib.plain(1), 2);
    assert.throws(() => lib.thrower(), /boom/);
    assert.equal(k.m(5), 5);
    assert.equal(inner(), 2);
    assert.equal(lib.fallsOff(1), undefined);
    assert.equal(lib.empty(), undefined);
    assert.equal(lib.oneLine(2), 4);
    assert.deepEqual(events, [
      'outer:entry:',
      'plain:entry:1',
      'plain:return:2',
      'thrower:entry:',
      'thrower:error:Error: boom',
      'K.m:entry:5',
      'K.m:return:5',
      'inner:entry:',
      'inner:return:2',
      'fallsOff:entry:1',
      'fallsOff:return:undefined',
      'empty:entry:',
      'empty:return:undefined',
      'oneLine:entry:2',
    ]);
    events.length = 0;
    for (const s of scripts) {
      assert.equal(
        post<{ status?: string }>('Debugger.setScriptSource', { scriptId: s.id, scriptSource: s.original }).status ?? 'Ok',
        'Ok',
      );
      for (const x of 'SNU') delete g[`${s.prefix}${x}`];
      assert.equal(post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId: s.id }).scriptSource, s.original);
    }
    assert.equal(lib.plain(1) + lib.oneLine(2) + k.m(5) + inner(), 13);
    assert.throws(() => lib.thrower(), /boom/);
    assert.deepEqual(events, []);
    assert.equal(lib.plain.toString(), 'function plain(a) {\n  return a + 1;\n}');
  } finally {
    unlink();
    session.disconnect();
  }
});
