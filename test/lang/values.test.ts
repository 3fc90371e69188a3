import assert from 'node:assert/strict';
import { test } from 'node:test';
import { add, bitop, div, looseEq, mul, readMember, subInt, toInt, tupleKey } from '../../src/lang/runtime/values.js';
import { compile } from '../../src/lang/index.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';

test('member reads never invoke getters or proxy traps', () => {
  let calls = 0;
  const obj = {
    plain: 1,
    get trap() {
      calls++;
      return 2;
    },
  };
  const proxy = new Proxy(
    { x: 1 },
    {
      getOwnPropertyDescriptor() {
        calls++;
        return undefined;
      },
    },
  );
  assert.equal(readMember(obj, 'plain'), 1);
  assert.equal(readMember(obj, 'trap'), undefined);
  assert.equal(readMember(proxy, 'x'), undefined);
  assert.equal(calls, 0);
});

test('member reads walk the prototype chain for data properties only', () => {
  class Base {
    get computed(): number {
      throw new Error('never');
    }
  }
  Object.defineProperty(Base.prototype, 'kind', { value: 'base' });
  const o = new Base();
  assert.equal(readMember(o, 'kind'), 'base');
  assert.equal(readMember(o, 'computed'), undefined);
  assert.equal(readMember(null, 'x'), undefined);
  assert.equal(readMember(42, 'x'), undefined);
  assert.equal(readMember('abc', 'length'), 3);
  assert.equal(readMember({ b: true, n: null }, 'b'), 1);
  assert.equal(readMember({ b: true, n: null }, 'n'), undefined);
});

test('a revoked proxy reads as missing', () => {
  const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
  revoke();
  assert.equal(readMember(proxy, 'a'), undefined);
});

test('64-bit integer arithmetic is exact beyond 2^53 and wraps like int64', () => {
  assert.equal(add(9007199254740991, 2), 9007199254740993n);
  assert.equal(add(2n ** 63n - 1n, 1), -(2n ** 63n));
  assert.equal(mul(4294967296, 4294967296), 0);
  assert.equal(mul(3037000500, 3037000500), 9223372037000250000n - 2n ** 64n);
  assert.equal(subInt(-9007199254740991, 10), -9007199254741001n);
  assert.equal(div(-7, 2), -3);
  assert.equal(div(2n ** 62n, 2), 2305843009213693952n);
  assert.equal(bitop(3, 1, 63), -(2n ** 63n));
  assert.equal(bitop(0, 0xffffffff, 0xff), 255);
  assert.equal(add(2n ** 53n + 1n, -2), 9007199254740991, 'results back in range are numbers again');
  assert.throws(() => div(1, 0), /divide-by-zero/);
});

test('dyn values compare as D does', () => {
  assert.equal(looseEq(undefined, 0), true);
  assert.equal(looseEq(undefined, ''), true);
  assert.equal(looseEq('5', 5), true);
  assert.equal(looseEq(5, 6), false);
  assert.equal(toInt(3.7), 3);
  assert.equal(toInt(true), 1);
  assert.equal(toInt('12'), 12);
});

test('tuple keys distinguish types and boundaries', () => {
  assert.notEqual(tupleKey(['a,b', 'c']), tupleKey(['a', 'b,c']));
  assert.notEqual(tupleKey([1, 'x']), tupleKey(['1', 'x']));
  assert.equal(tupleKey([5n, 'x']), tupleKey([5, 'x']));
});

test('walltimestamp keeps nanosecond precision (a bigint beyond 2^53)', () => {
  const p = compile([
    { file: 'w.d', text: '#pragma D option quiet\nBEGIN { w = walltimestamp; printf("%d %d\\n", w, w > 1600000000000000000); }' },
  ]).program!;
  let out = '';
  const inst = ConsumerProgram.solo(p, { output: (t) => (out += t), exit() {} });
  inst.start();
  inst.finish();
  const [w, big] = out.trim().split(' ');
  assert.equal(big, '1');
  assert.ok(BigInt(w!) > 2n ** 53n);
  assert.equal(w!.length, 19);
});
