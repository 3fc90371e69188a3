import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureRun } from '../../../src/cli/bench/measure.js';

test('-m rss reads a run that ends while mscope is busy: the run is read once as it starts', async () => {
  const run = measureRun({
    argv: [process.execPath, '-e', '0'],
    measure: 'rss',
    metric: undefined,
    excludeSelf: false,
    label: 'plain',
  });
  // Hold this thread until the command has ended: no poll can run meanwhile (a loaded machine).
  const until = Date.now() + 1500;
  while (Date.now() < until);
  const mib = await run;
  assert.ok(mib > 0, `rss ${mib} MiB`);
});
