import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  arithmeticType,
  baseTypeName,
  BUILTIN_TYPES,
  constantType,
  INT,
  LONG,
  UINT,
  ULONG,
  DOUBLE,
  FLOAT,
  assignable,
  STRING,
} from '../../src/lang/ctypes.js';
import { arithmetic, convert, unaryArithmetic } from '../../src/lang/compile-convert.js';
import { clauseHelpers } from '../../src/lang/runtime/helpers.js';

const t = (name: string) => BUILTIN_TYPES.get(name)!;

test('base type names in any order of their words', () => {
  assert.equal(baseTypeName(['unsigned']), 'unsigned int');
  assert.equal(baseTypeName(['long', 'unsigned', 'int']), 'unsigned long');
  assert.equal(baseTypeName(['long', 'long']), 'long long');
  assert.equal(baseTypeName(['signed', 'char']), 'signed char');
  assert.equal(baseTypeName(['long', 'double']), 'long double');
  assert.equal(baseTypeName(['long', 'long', 'long']), null);
  assert.equal(baseTypeName(['unsigned', 'double']), null);
  assert.equal(baseTypeName(['short', 'char']), null);
});

test('integer constants are typed as C types them', () => {
  assert.equal(constantType('1', 1n), INT);
  assert.equal(constantType('2147483648', 2147483648n), LONG);
  assert.equal(constantType('0xffffffff', 0xffffffffn), UINT);
  assert.equal(constantType('18446744073709551615', 18446744073709551615n), ULONG);
  assert.equal(constantType('1u', 1n), UINT);
  assert.equal(constantType('1L', 1n), LONG);
  assert.equal(constantType('1UL', 1n), ULONG);
});

test("C's usual arithmetic conversions", () => {
  assert.equal(arithmeticType(t('char'), t('short')), INT);
  assert.equal(arithmeticType(INT, UINT), UINT);
  assert.equal(arithmeticType(UINT, LONG), LONG);
  assert.equal(arithmeticType(LONG, t('uint64_t')), t('uint64_t'));
  assert.equal(arithmeticType(INT, FLOAT), FLOAT);
  assert.equal(arithmeticType(FLOAT, DOUBLE), DOUBLE);
});

test('assignment compatibility follows D: numbers convert, strings and structs do not', () => {
  assert.ok(assignable(INT, DOUBLE));
  assert.ok(assignable(t('uint8_t'), LONG));
  assert.ok(!assignable(INT, STRING));
  assert.ok(!assignable(STRING, INT));
});

/** Runs generated code for one expression with the clause helpers in scope. */
function run(code: string): unknown {
  const h = clauseHelpers.helpers;
  const f = new Function('h', 'rt', `${clauseHelpers.prologue} return ${code};`) as (h: unknown, rt: unknown) => unknown;
  return f(h, { strsize: 256, dynvars: null });
}

test('conversions wrap as C casts do, on numbers and bigints', () => {
  assert.equal(run(convert('(-1)', INT, t('uint32_t'))), 4294967295);
  assert.equal(run(convert('300', INT, t('char'))), 44);
  assert.equal(run(convert('70000', INT, t('short'))), 4464);
  assert.equal(run(convert('(-1)', INT, t('uint64_t'))), 18446744073709551615n);
  assert.equal(run(convert('18446744073709551615n', t('uint64_t'), t('int64_t'))), -1);
  assert.equal(run(convert('4294967296n * 4294967296n + 5n', t('uint64_t'), t('uint8_t'))), 5);
  assert.equal(run(convert('3.9', DOUBLE, INT)), 3);
  assert.equal(run(convert('(-3.9)', DOUBLE, t('uint8_t'))), 253);
  assert.equal(run(convert('0.1', DOUBLE, FLOAT)), Math.fround(0.1));
});

test('arithmetic wraps at its type width', () => {
  assert.equal(run(arithmetic('+', '2147483647', '1', INT)), -2147483648);
  assert.equal(run(arithmetic('*', '65536', '65536', UINT)), 0);
  assert.equal(run(arithmetic('-', '0', '1', UINT)), 4294967295);
  assert.equal(run(arithmetic('-', '0', '1', t('uint64_t'))), 18446744073709551615n);
  assert.equal(run(arithmetic('*', '18446744073709551615n', '2', t('uint64_t'))), 18446744073709551614n);
  assert.equal(run(arithmetic('&', '18446744073709551615n', '18446744073709551615n', t('uint64_t'))), 18446744073709551615n);
  assert.equal(run(arithmetic('+', '9223372036854775807n', '1', LONG)), -9223372036854775808n);
  assert.equal(run(arithmetic('<<', '1', '40', INT)), 0);
  assert.equal(run(unaryArithmetic('-', '1', UINT)), 4294967295);
  assert.equal(run(unaryArithmetic('~', '0', t('uint64_t'))), 18446744073709551615n);
  assert.equal(run(arithmetic('/', '7', '2', DOUBLE)), 3.5);
});
