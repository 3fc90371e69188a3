import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileGlob, ProbeDescription } from '../../src/core/index.js';

/**
 * DTrace matches each field of a description with fnmatch(pattern, name, 0) (libdtrace's
 * gmatch on Linux): `*` any run of characters, `/` and a leading `.` included; `?` any one
 * character; `[…]` a class with ranges, `!` or `^` negating, `]` first literal, `\` escaping;
 * `\c` the character c; a trailing `\` matches nothing; a `[` without its `]` is literal.
 * This is glibc's algorithm, written plainly, as the oracle.
 */
function fnmatch(p: string, s: string, pi = 0, si = 0): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return true;
      for (let k = si; k <= s.length; k++) if (fnmatch(p, s, pi, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '\\') {
      if (pi + 1 >= p.length || p[pi + 1] !== s[si]) return false;
      pi += 2;
      si++;
      continue;
    }
    if (c === '[') {
      const r = bracket(p, pi, s[si]!);
      if (r !== null) {
        if (!r.matched) return false;
        pi = r.end;
        si++;
        continue;
      }
    }
    if (c !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function bracket(p: string, at: number, ch: string): { matched: boolean; end: number } | null {
  let i = at + 1;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  let matched = false;
  for (let first = true; ; first = false) {
    if (i >= p.length) return null;
    let lo = p[i]!;
    if (lo === ']' && !first) break;
    if (lo === '\\') {
      if (++i >= p.length) return null;
      lo = p[i]!;
    }
    i++;
    if (p[i] === '-' && i + 1 < p.length && p[i + 1] !== ']') {
      let hi = p[i + 1]!;
      i += 2;
      if (hi === '\\') {
        if (i >= p.length) return null;
        hi = p[i++]!;
      }
      if (lo <= ch && ch <= hi) matched = true;
    } else if (ch === lo) matched = true;
  }
  return { matched: matched !== negate, end: i + 1 };
}

const ALPHABET = ['a', 'b', 'z', '/', '.', '-', '_', '$', '@', '(', ')', '+', '{', '}', ',', '|', '^', ':', '\n'];
const PATTERN_ALPHABET = [...ALPHABET, '*', '?', '[', ']', '!', '\\', '*', '?', '[', ']'];
const patterns = fc.array(fc.constantFrom(...PATTERN_ALPHABET), { maxLength: 10 }).map((cs) => cs.join(''));
const names = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 10 }).map((cs) => cs.join(''));

/** A name the pattern matches, found by filling each wildcard, so that positives are as common as negatives. */
function instance(p: string, fill: string): string {
  return p.replace(/\\(.)/g, '$1').replace(/\*|\?|\[[^\]]*\]/g, fill);
}

test('a field matches as fnmatch(3) without flags, on generated patterns and names', () => {
  fc.assert(
    fc.property(patterns, names, fc.constantFrom('', 'a', 'b/', '.z'), (p, s, fill) => {
      for (const name of [s, instance(p, fill)]) {
        assert.equal(compileGlob(p)(name), p === '' || fnmatch(p, name), `pattern ${JSON.stringify(p)} on ${JSON.stringify(name)}`);
      }
    }),
    { numRuns: 20000 },
  );
});

test('DTrace globs in a description: * and ? cross / and ., classes negate with ! and ^', () => {
  const cases: [string, string, boolean][] = [
    ['', 'anything', true],
    ['lib/*', 'lib/a/b.ts', true],
    ['*', '../lib/x.js', true],
    ['lib?x', 'lib/x', true],
    ['*', '.hidden', true],
    ['[!e]*', 'error', false],
    ['[^e]*', '/x', true],
    ['[]a]', ']', true],
    ['[z-a]', 'q', false],
    ['a(b)', 'ab', false],
    ['./a', 'a', false],
    ['a{b,c}', 'ab', false],
    ['x*', 'x\ny', true],
    ['a\\', 'a\\', false],
    ['[a-', '[a-', true],
  ];
  for (const [p, s, want] of cases) assert.equal(compileGlob(p)(s), want, `${p} on ${JSON.stringify(s)}`);
});

test('a * never crosses the : between fields', () => {
  const d = ProbeDescription.parse('fn:a*:b:entry');
  assert.equal(d.matches({ provider: 'fn', module: 'a', func: 'x:b', name: 'entry' }), false);
  assert.equal(d.matches({ provider: 'fn', module: 'a:x', func: 'b', name: 'entry' }), true);
  assert.equal(ProbeDescription.parse('fn::*:entry').matches({ provider: 'fn', module: 'm', func: 'f', name: 'x:entry' }), false);
});
