import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanpath, inetNtoa6, lltostr, rindex, substr } from '../../src/lang/runtime/strings.js';
import { rawbytes, Scratch } from '../../src/lang/runtime/scratch.js';

const v6 = (hex: string): string => inetNtoa6(Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex')));

test('inet_ntoa6 picks the zero run dtrace.c picks, and writes v4-mapped and -compatible addresses as a dotted quad', () => {
  assert.equal(v6('fe80 0000 0000 0000 0214 4fff fe0b 76c8'), 'fe80::214:4fff:fe0b:76c8');
  assert.equal(v6('0000 0000 0000 0000 0000 0000 0000 0000'), '::');
  assert.equal(v6('0000 0000 0000 0000 0000 0000 0000 0001'), '::1');
  assert.equal(v6('0000 0000 0000 0000 0000 ffff 7f00 0001'), '127.0.0.1');
  assert.equal(v6('0000 0000 0000 0000 0000 0000 7f00 0001'), '127.0.0.1');
  assert.equal(v6('0000 0000 0000 0000 0000 fffe 7f00 0001'), '::fffe:7f00:1');
  // A single zero group at the very end is not compressed; two are.
  assert.equal(v6('fe12 3456 789a bcde 0214 4fff fe0b 0000'), 'fe12:3456:789a:bcde:214:4fff:fe0b:0');
  assert.equal(v6('fe12 3456 789a bcde 0214 4fff 0000 0000'), 'fe12:3456:789a:bcde:214:4fff::');
  // The longest run, wherever it is.
  assert.equal(v6('0001 0000 0002 0000 0000 0000 0003 0004'), '1:0:2::3:4');
});

test('cleanpath is lexical, as dtrace.c', () => {
  assert.equal(cleanpath('/foo/../bar', 256), '/bar');
  assert.equal(cleanpath('/usr/./lib//node/../bin/', 256), '/usr/lib/bin/');
  assert.equal(cleanpath('/a/..', 256), '/');
  assert.equal(cleanpath('a/b/..', 256), 'a/');
  assert.equal(cleanpath('/x/.', 256), '/x/.');
  assert.equal(cleanpath('/a/b/../../c', 256), '/c');
  assert.equal(cleanpath('/abcdefghij', 10).length, 5);
});

test('substr, rindex and lltostr at their edges', () => {
  assert.equal(substr('foobarbazbop', -100, undefined, 256), 'foobarbazbop');
  assert.equal(substr('foobarbazbop', -1, -1, 256), '');
  assert.equal(substr('foobarbazbop', 0, 400, 8), 'foobarba');
  assert.equal(rindex('foo', '', -1), 0);
  assert.equal(rindex('foofoofoo', 'foo', -1), -1);
  assert.equal(lltostr(-9223372036854775808n), '-9223372036854775808');
  assert.equal(lltostr(-8, 8), '01777777777777777777770');
  assert.throws(() => lltostr(5, 37), /illegal base/);
});

test('scratch: a clause firing frees what the one before allocated; past the last allocation and NULL are invalid addresses', () => {
  const s = new Scratch(64);
  s.begin();
  const a = s.alloca(3);
  const b = s.alloca(8);
  assert.equal(b - a, 8);
  s.view(a, 3).set([1, 2, 3]);
  assert.throws(() => s.view(b + 8, 1), /invalid address/);
  assert.throws(() => s.read(0, 1), /invalid address \(0x0\)/);
  assert.throws(() => s.alloca(64), /out of scratch space/);
  s.begin();
  assert.throws(() => s.view(a, 1), /invalid address/);
  assert.deepEqual([...s.read('\xff\x01', 3)], [0xff, 1, 0]);
});

test('scratch: a string stored in memory keeps a NUL within its size, zeroes the rest and reads back up to the NUL', () => {
  const s = new Scratch(64);
  s.begin();
  const a = s.alloca(8);
  s.view(a, 8).fill(0x41);
  assert.equal(s.storeString(a, 'hi', 8), 'hi');
  assert.deepEqual([...s.view(a, 8)], [0x68, 0x69, 0, 0, 0, 0, 0, 0]);
  assert.equal(s.storeString(a, 'abcdefghij', 8), 'abcdefg');
  assert.equal(s.view(a, 8)[7], 0);
  assert.equal(s.storeString(a, 'é', 8), 'é');
  assert.throws(() => s.storeString(a + 4, 'x', 8), /invalid address/);
});

test('rawbytes pads a last short row as DTrace does', () => {
  const out = rawbytes(Uint8Array.from([0x41, 0x0a, 0x80]));
  assert.equal(out.split('\n')[2], '         0: 41 0a 80' + ' '.repeat(13 * 3) + '  A..');
});

test("clauses' S holds every export of strings.ts (helpers.ts names them one by one)", async () => {
  const strings = await import('../../src/lang/runtime/strings.js');
  const { clauseHelpers } = await import('../../src/lang/runtime/helpers.js');
  assert.deepEqual(Object.keys(clauseHelpers.helpers.S).sort(), Object.keys(strings).sort());
});
