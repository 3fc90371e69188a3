// Measures record() cost per kind (ns per call), each loop inline so the call site under test
// stays monomorphic. Run: node --import tsx test/aggregate/measure-record.ts  (prints figures;
// not a test: tests never assert on time). Reports the best of 5 rounds.
import { createAggregation } from '../../src/aggregate/index.js';

const KEYS = ['readFile', 'writeFile', 'stat', 'open', 'close', 'read', 'write', 'lstat'];
const N = 10_000_000;
let sink = 0;

function baseline(): void {
  for (let i = 0; i < N; i++) sink += KEYS[i & 7]!.length;
}

const count = createAggregation('c', 'count');
function countRecord1(): void {
  for (let i = 0; i < N; i++) count.record1(KEYS[i & 7]!);
}

const scalar = createAggregation('z', 'count');
function countRecord0(): void {
  for (let i = 0; i < N; i++) scalar.record0();
}

const generic = createAggregation('g', 'count');
const one: [string] = [''];
function countRecordTuple1(): void {
  for (let i = 0; i < N; i++) {
    one[0] = KEYS[i & 7]!;
    generic.record(one);
  }
}

const two = createAggregation('t', 'count');
const pair: [string, number] = ['', 0];
function countRecordTuple2(): void {
  for (let i = 0; i < N; i++) {
    pair[0] = KEYS[i & 7]!;
    pair[1] = i & 3;
    two.record(pair);
  }
}

const sum = createAggregation('s', 'sum');
function sumRecord1(): void {
  for (let i = 0; i < N; i++) sum.record1(KEYS[i & 7]!, i);
}

const q = createAggregation('q', 'quantize');
function quantizeRecord1(): void {
  for (let i = 0; i < N; i++) q.record1(KEYS[i & 7]!, i);
}

const cases: [string, () => void][] = [
  ['baseline loop (key pick only)', baseline],
  ['count() record1(string)', countRecord1],
  ['count() record0()', countRecord0],
  ['count() record([string]) reused array', countRecordTuple1],
  ['count() record([string, int]) reused array', countRecordTuple2],
  ['sum() record1(string, value)', sumRecord1],
  ['quantize() record1(string, value)', quantizeRecord1],
];
for (const [label, run] of cases) {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / N);
  }
  console.log(`${label.padEnd(44)} ${best.toFixed(1)} ns/op`);
}
if (sink < 0) console.log(sink);
