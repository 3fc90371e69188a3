import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile, renderDiagnostics, unmatchedProbeWarnings } from '../../src/lang/index.js';

test('descriptions that matched nothing are warnings naming the nearest probes', () => {
  const sources = [{ file: 'w.d', text: 'fn:app:ad:entry { @ = count(); }\nfn:app:add:entry { @b = count(); }\nBEGIN { x = 1; }' }];
  const program = compile(sources).program!;
  const probes = [
    { provider: 'fn', module: 'app', func: 'add', name: 'entry' },
    { provider: 'fn', module: 'app', func: 'add', name: 'return' },
    { provider: 'node', module: 'fs', func: 'readFile', name: 'entry' },
  ];
  const w = unmatchedProbeWarnings(program, probes);
  assert.equal(w.length, 1);
  assert.equal(w[0]!.severity, 'warning');
  assert.equal(
    renderDiagnostics(w, sources),
    'w.d:1:1: warning: probe description `fn:app:ad:entry` matched no probes [D5001]\n' +
      '  fn:app:ad:entry { @ = count(); }\n' +
      '  ^~~~~~~~~~~~~~~\n' +
      '  nearest probes: fn:app:add:entry, fn:app:add:return\n',
  );
});

test('descriptions are judged before the run unless they can match probes a program makes later (fn, usdt, dc)', () => {
  const text = 'fn:app:nope:entry {}\nnode:fs:nope:entry {}\n:::nope {}\ndc:::nope {}\nusdt*:::nope {}\nhttp:::nope {}';
  const program = compile([{ file: 'w.d', text }]).program!;
  const texts = (which: 'now' | 'later'): string[] =>
    unmatchedProbeWarnings(program, [], which).map((d) => text.slice(d.range.start, d.range.end));
  assert.deepEqual(texts('now'), ['node:fs:nope:entry', 'http:::nope']);
  assert.deepEqual(texts('later'), ['fn:app:nope:entry', ':::nope', 'dc:::nope', 'usdt*:::nope']);
  assert.equal(unmatchedProbeWarnings(program, []).length, 6);
});

// Whole names were compared: a description that leaves the module out was as far from every
// probe as the probe's module path is long, so a long path hid the function it misspelled.
test('the nearest probes are judged by the fields a description writes: an empty module counts nothing', () => {
  const sources = [{ file: 'w.d', text: 'fn::squre:entry {}\nfn::nothing:entry {}' }];
  const program = compile(sources).program!;
  const probes = ['entry', 'return'].flatMap((name) =>
    ['node_modules/geometry-helpers/lib/shapes/index.js', 'src/app.mjs'].flatMap((module) =>
      ['square', 'f1', 'cube'].map((func) => ({ provider: 'fn', module, func, name })),
    ),
  );
  const hints = unmatchedProbeWarnings(program, probes).map((w) => w.hint ?? null);
  assert.deepEqual(hints, [
    'nearest probes: fn:node_modules/geometry-helpers/lib/shapes/index.js:square:entry, fn:src/app.mjs:square:entry, fn:node_modules/geometry-helpers/lib/shapes/index.js:cube:entry',
    // `nothing` would have to be written anew to become any of these functions: no hint.
    null,
  ]);
});
