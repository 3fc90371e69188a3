import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { compile } from '../../src/lang/index.js';
import { defineModule } from '../../src/modules/define.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';

// A monitor reads the program's values; it never runs the program's code, whatever it does with them.
let runs = 0;
const ran = (): number => ++runs;

const hostile = {
  get [Symbol.toStringTag](): string {
    ran();
    return 'Evil';
  },
  toString: () => String(ran()),
  valueOf: () => ran(),
  [Symbol.toPrimitive]: () => ran(),
  [inspect.custom]: () => String(ran()),
};
class Tagged {
  get [Symbol.toStringTag](): string {
    return String(ran());
  }
}
const trap = (): never => {
  ran();
  throw new Error('trap ran');
};
const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap, has: trap, ownKeys: trap });
function fn(): void {}
fn.toString = (): string => String(ran());

const mod = defineModule('noprogramcode', {
  take(v: unknown): unknown {
    return v;
  },
});

const PROGRAM = `
fn:noprogramcode:take:entry {
  @k[arg0] = count();
  @k2[arg0, probefunc] = count();
  a[arg0] = 1;
  printf("%s|%d|%s|%d|%d|%d|%s|%s\\n", arg0, arg0, strjoin(arg0, "!"), arg0 == "x", arg0 < "b", strlen(arg0), toupper(arg0), substr(arg0, 8));
  trace(arg0);
  printf("\\n");
}`;

test('keys, printf, trace, string functions and comparisons of objects run no program code', () => {
  const r = compile([{ file: 'objects.d', text: PROGRAM }], { quiet: true });
  assert.deepEqual(r.diagnostics, []);
  let out = '';
  let warnings = '';
  const inst = ConsumerProgram.solo(r.program!, { output: (t) => (out += t), warn: (t) => (warnings += t), exit: () => {} });
  inst.start();
  for (const v of [hostile, new Tagged(), proxy, fn, [hostile, proxy, 1, 'a'], new Map(), Promise.resolve()]) mod.take(v);
  inst.finish();
  assert.equal(warnings, '');
  assert.equal(runs, 0, 'program code ran');
  // How objects print: `[object TAG]` as Object.prototype.toString would, where TAG comes
  // from a data property only (an accessor is never called); a proxy is `[object Proxy]`.
  const lines = out.split('\n').filter((l) => l.includes('|'));
  assert.deepEqual(lines, [
    '[object Object]|0|[object Object]!|0|1|15|[OBJECT OBJECT]|Object]',
    '[object Object]|0|[object Object]!|0|1|15|[OBJECT OBJECT]|Object]',
    '[object Proxy]|0|[object Proxy]!|0|1|14|[OBJECT PROXY]|Proxy]',
    '[object Function]|0|[object Function]!|0|1|17|[OBJECT FUNCTION]|Function]',
    '[object Object],[object Proxy],1,a|0|[object Object],[object Proxy],1,a!|0|1|34|[OBJECT OBJECT],[OBJECT PROXY],1,A|Object],[object Proxy],1,a',
    '[object Map]|0|[object Map]!|0|1|12|[OBJECT MAP]|Map]',
    '[object Promise]|0|[object Promise]!|0|1|16|[OBJECT PROMISE]|Promise]',
  ]);
  const traced = out.split('\n').filter((l) => l.startsWith('[') && !l.includes('|'));
  assert.deepEqual(traced.slice(0, 4), ['[object Object]', '[object Object]', '[object Proxy]', '[object Function]']);
  assert.equal(runs, 0, 'program code ran');
});
