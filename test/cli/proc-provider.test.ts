import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

// proc:::spawn / child-exit / worker-start under `mscope run`, on a program that starts a child
// each way child_process offers and one worker; microScope's own threads must not show.
const dir = join(FIXTURES, 'proc');

test('proc sees synchronous spawns too, and only the workers the program starts', async () => {
  const program = [
    'proc:::spawn, proc:::child-exit { printf("%s %s [%s %s] pid>0:%d code:%d\\n", probename, args[0].command, args[0].args[0], args[0].args[1], args[0].pid > 0, args[0].code); }',
    'proc:::worker-start { printf("worker-start thread>0:%d\\n", args[0].thread_id > 0); }',
    // Starts microScope's loop watchdog thread, which proc must not report.
    'loop:::blocked {}',
  ].join('\n');
  const r = await mscope(['run', '-q', '-e', program, '--', 'node', 'spawns.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  // The program's own line and the agent's output are two writers: compare the traced lines.
  assert.match(r.stdout, /^spawns done$/m);
  assert.equal(
    r.stdout.replace('spawns done\n', ''),
    [
      'spawn true [sync ] pid>0:1 code:0',
      'child-exit true [sync ] pid>0:1 code:0',
      'spawn sh [-c exit 3] pid>0:1 code:0',
      'child-exit sh [-c exit 3] pid>0:1 code:3',
      'spawn true [execfile ] pid>0:0 code:0',
      'child-exit true [execfile ] pid>0:0 code:0',
      // execFileSync and execSync return only the output: a successful run's pid is not known.
      'spawn /bin/sh [-c true execsync] pid>0:0 code:0',
      'child-exit /bin/sh [-c true execsync] pid>0:0 code:0',
      'spawn /bin/sh [-c exit 4] pid>0:1 code:0',
      'child-exit /bin/sh [-c exit 4] pid>0:1 code:4',
      'spawn true [async ] pid>0:1 code:0',
      'child-exit true [async ] pid>0:1 code:0',
      'worker-start thread>0:1',
      '',
    ].join('\n'),
  );
});
