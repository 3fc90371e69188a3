import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ministatRow, ministatT, studentCompare, studentTest, tQuantile, type MinistatRow } from '../../src/stats/index.js';
import { formatMinistat, ministatReport } from '../../src/cli/bench/ministat.js';

// The L41 lecture's ministat runs (seed 002): dd's time without DTrace, with dtmalloc:::
// { @count = count(); }, and with lockstat::: and lockstat::: /execname == "dd"/.
const row = (n: number, min: number, max: number, median: number, avg: number, stddev: number): MinistatRow => ({
  n,
  min,
  max,
  median,
  avg,
  stddev,
});
const noDtrace = row(11, 0.2, 0.22, 0.21, 0.20818182, 0.0060302269);
const dtmalloc = row(11, 0.2, 0.22, 0.21, 0.21272727, 0.0064666979);
const lockstat = row(11, 0.42, 0.44, 0.44, 0.43454545, 0.0068755165);
const lockstatDd = row(11, 0.54, 0.57, 0.56, 0.55818182, 0.0075075719);

function verdict(a: MinistatRow, b: MinistatRow): string {
  const text = formatMinistat({ rows: [a, b], comparison: studentCompare(a, b, 0.95) }, ['a', 'b']);
  return text.split('\n').slice(5).join('\n');
}

test("ministat's verdicts on the lecture's dd runs, digit for digit", () => {
  assert.equal(verdict(noDtrace, dtmalloc), 'No difference proven at 95.0% confidence\n');
  assert.equal(
    verdict(noDtrace, lockstat),
    "Difference at 95.0% confidence\n\t0.226364 +/- 0.00575196\n\t108.734% +/- 2.76295%\n\t(Student's t, pooled s = 0.0064667)\n",
  );
  assert.equal(
    verdict(noDtrace, lockstatDd),
    "Difference at 95.0% confidence\n\t0.35 +/- 0.0060565\n\t168.122% +/- 2.90924%\n\t(Student's t, pooled s = 0.00680908)\n",
  );
});

test("ministat's t comes from its table: three decimals to 100 degrees of freedom, the normal beyond", () => {
  assert.equal(ministatT(20, 0.95), 2.086);
  assert.equal(ministatT(1, 0.95), 12.706);
  assert.equal(ministatT(10, 0.99), 3.169);
  assert.equal(ministatT(1, 0.995), 127.321);
  assert.equal(ministatT(101, 0.95), 1.96);
  assert.notEqual(tQuantile(0.975, 20), 2.086);
});

test('the table rows are the data set: n, min, max, median (mean of the middle two), mean, sample deviation', () => {
  const r = ministatRow([4, 1, 3, 2]);
  assert.deepEqual(r, { n: 4, min: 1, max: 4, median: 2.5, avg: 2.5, stddev: Math.sqrt(5 / 3) });
  const lines = formatMinistat(ministatReport([1, 2, 3, 4], [2, 3, 4, 5], 0.95), ['plain', 'traced']).split('\n');
  assert.equal(lines[0], 'x plain');
  assert.equal(lines[1], '+ traced');
  assert.equal(lines[2], '    N           Min           Max        Median           Avg        Stddev');
  assert.equal(lines[3], 'x   4             1             4           2.5           2.5     1.2909944');
});

test('a difference exactly at the interval is not proven; identical samples prove none', () => {
  assert.equal(studentTest([1, 1, 1], [1, 1, 1]).significant, false);
  assert.equal(studentTest([1, 1, 1], [2, 2, 2]).significant, true);
  assert.throws(() => studentTest([1], [1, 2]), /at least two/);
});
