import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProbeTable, formatSkippedTable } from '../../src/cli/probe-table.js';

test("probes print in dtrace -l's columns, widened for long names", () => {
  const text = formatProbeTable([
    [1, 'fn', 'lib/math.js', 'add', 'entry'],
    [12, 'node', 'fs', 'readFile', 'return'],
  ]);
  assert.equal(
    text,
    '   ID   PROVIDER               MODULE                         FUNCTION NAME\n' +
      '    1         fn          lib/math.js                              add entry\n' +
      '   12       node                   fs                         readFile return\n',
  );
  const wide = formatProbeTable([[1, 'fn', 'node_modules/some-package/with/a/long/path.js', 'f', 'entry']]).split('\n');
  assert.equal(wide[0]!.indexOf('NAME'), wide[1]!.indexOf('entry'), 'columns stay aligned');
  assert.equal(wide[0]!.indexOf('MODULE') + 'MODULE'.length, wide[1]!.indexOf('path.js') + 'path.js'.length);
});

test('skipped functions print with their reason', () => {
  const text = formatSkippedTable([{ provider: 'fn', module: 'lib/a.js', func: 'frozen', reason: 'non-configurable export' }]);
  assert.match(text, /^PROVIDER\s+MODULE\s+FUNCTION REASON\n\s+fn\s+lib\/a\.js\s+frozen non-configurable export\n$/);
});
