/**
 * D's types (the C types of the LP64 data model, plus `string`): what declarations, casts and
 * the typing pass give an expression. `coarse()` maps one to the kind the checker and the
 * code generator mostly care about (ast.ts's `Type`); the width and sign of an integer type
 * decide how its arithmetic wraps and how printf shows it.
 */
export interface IntType {
  readonly kind: 'int';
  readonly name: string;
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
}

export interface FloatType {
  readonly kind: 'float';
  readonly name: string;
  readonly size: 4 | 8 | 16;
}

export interface PtrType {
  readonly kind: 'ptr';
  readonly name: string;
  readonly to: CType;
}

export interface ArrayType {
  readonly kind: 'array';
  readonly name: string;
  readonly of: CType;
  readonly length: number;
}

export interface Member {
  readonly name: string;
  readonly type: CType;
  /** Byte offset within the struct (0 for every member of a union). */
  readonly offset: number;
  /** A bit-field's width in bits, else undefined. */
  readonly bits?: number;
  /** A bit-field's first bit within its storage unit. */
  readonly bitOffset?: number;
}

export interface StructType {
  readonly kind: 'struct' | 'union';
  /** `struct foo` (or `struct <anon>`). */
  readonly name: string;
  /** Null until the members are declared. */
  members: Member[] | null;
  size: number;
  align: number;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly name: string;
  readonly values: Map<string, number>;
}

export type CType =
  | IntType
  | FloatType
  | PtrType
  | ArrayType
  | StructType
  | EnumType
  | { readonly kind: 'string'; readonly name: 'string' }
  | { readonly kind: 'void'; readonly name: 'void' }
  /** A value read from the traced program (`arg0`, `args[0].url`): its type is known when it is used. */
  | { readonly kind: 'dyn'; readonly name: 'dyn' };

function int(name: string, size: 1 | 2 | 4 | 8, signed: boolean): IntType {
  return { kind: 'int', name, size, signed };
}

export const CHAR = int('char', 1, true);
export const INT = int('int', 4, true);
export const UINT = int('unsigned int', 4, false);
export const LONG = int('long', 8, true);
export const ULONG = int('unsigned long', 8, false);
export const INT64 = int('int64_t', 8, true);
export const UINT64 = int('uint64_t', 8, false);
export const SIZE_T = int('size_t', 8, false);
export const PTRDIFF_T = int('ptrdiff_t', 8, true);
export const DOUBLE: FloatType = { kind: 'float', name: 'double', size: 8 };
export const FLOAT: FloatType = { kind: 'float', name: 'float', size: 4 };
export const STRING: CType = { kind: 'string', name: 'string' };
export const VOID: CType = { kind: 'void', name: 'void' };
export const DYN: CType = { kind: 'dyn', name: 'dyn' };

/**
 * The types every program knows by name: C's, the <stdint.h> ones, and the typedefs DTrace
 * predefines that mean something without a kernel (`pid_t`, `uid_t`, `size_t`…).
 */
export const BUILTIN_TYPES: ReadonlyMap<string, CType> = new Map<string, CType>([
  ['char', CHAR],
  ['signed char', int('signed char', 1, true)],
  ['unsigned char', int('unsigned char', 1, false)],
  ['short', int('short', 2, true)],
  ['unsigned short', int('unsigned short', 2, false)],
  ['int', INT],
  ['unsigned int', UINT],
  ['long', LONG],
  ['unsigned long', ULONG],
  ['long long', int('long long', 8, true)],
  ['unsigned long long', int('unsigned long long', 8, false)],
  ['float', FLOAT],
  ['double', DOUBLE],
  ['long double', { kind: 'float', name: 'long double', size: 16 }],
  ['string', STRING],
  ['void', VOID],
  ['int8_t', int('int8_t', 1, true)],
  ['int16_t', int('int16_t', 2, true)],
  ['int32_t', int('int32_t', 4, true)],
  ['int64_t', INT64],
  ['uint8_t', int('uint8_t', 1, false)],
  ['uint16_t', int('uint16_t', 2, false)],
  ['uint32_t', int('uint32_t', 4, false)],
  ['uint64_t', UINT64],
  ['intptr_t', int('intptr_t', 8, true)],
  ['uintptr_t', int('uintptr_t', 8, false)],
  ['intmax_t', int('intmax_t', 8, true)],
  ['uintmax_t', int('uintmax_t', 8, false)],
  ['size_t', SIZE_T],
  ['ssize_t', int('ssize_t', 8, true)],
  ['off_t', int('off_t', 8, true)],
  ['ptrdiff_t', PTRDIFF_T],
  ['pid_t', int('pid_t', 4, true)],
  ['id_t', int('id_t', 4, true)],
  ['uid_t', int('uid_t', 4, false)],
  ['gid_t', int('gid_t', 4, false)],
  ['processorid_t', int('processorid_t', 4, true)],
  ['time_t', int('time_t', 8, true)],
  ['hrtime_t', int('hrtime_t', 8, true)],
  ['boolean_t', int('boolean_t', 4, true)],
  ['bool', int('bool', 1, false)],
  ['_Bool', int('_Bool', 1, false)],
  ['uchar_t', int('uchar_t', 1, false)],
  ['ushort_t', int('ushort_t', 2, false)],
  ['uint_t', int('uint_t', 4, false)],
  ['ulong_t', int('ulong_t', 8, false)],
  ['u_int', int('u_int', 4, false)],
  ['u_long', int('u_long', 8, false)],
  ['uint', int('uint', 4, false)],
]);

/** The words that may make up a base type's name, in any order (`unsigned long int`). */
export const TYPE_WORDS = new Set(['char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double', 'void', 'string', '_Bool']);

/** `unsigned long int`, `long unsigned`, `signed` …: the canonical name, or null when the words make no type. */
export function baseTypeName(words: readonly string[]): string | null {
  let longs = 0;
  let sign: 'signed' | 'unsigned' | null = null;
  let base: string | null = null;
  for (const w of words) {
    if (w === 'long') longs++;
    else if (w === 'signed' || w === 'unsigned') {
      if (sign !== null) return null;
      sign = w;
    } else {
      if (base !== null) return null;
      base = w;
    }
  }
  if (longs > 2) return null;
  if (base === null) base = longs > 0 || sign !== null ? 'int' : null;
  if (base === null) return null;
  if (base === 'int' && longs > 0) base = longs === 2 ? 'long long' : 'long';
  else if (base === 'double' && longs === 1 && sign === null) return 'long double';
  else if (longs > 0) return null;
  if (sign === null) return base;
  if (base === 'char' && sign === 'signed') return 'signed char';
  if (!['char', 'short', 'int', 'long', 'long long'].includes(base)) return null;
  return sign === 'unsigned' ? 'unsigned ' + base : base;
}

/** The kind of value a type holds, as ast.ts's `Type`: pointers and enums are integers. */
export function coarse(t: CType): 'int' | 'float' | 'string' | 'void' | 'dyn' | 'struct' {
  switch (t.kind) {
    case 'int':
    case 'enum':
    case 'ptr':
      return 'int';
    case 'float':
      return 'float';
    case 'string':
      return 'string';
    case 'void':
      return 'void';
    case 'struct':
    case 'union':
    case 'array':
      return 'struct';
    default:
      return 'dyn';
  }
}

/** The integer type of an integer-like type (enums are int, pointers uintptr_t). */
export function asInt(t: CType): IntType | null {
  if (t.kind === 'int') return t;
  if (t.kind === 'enum') return INT;
  if (t.kind === 'ptr') return ULONG;
  return null;
}

/** A type's size in bytes; a string is `char [strsize]`, as DTrace redefines its string type when strsize is set. */
export function sizeOf(t: CType, strsize: number): number {
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.size;
    case 'enum':
      return 4;
    case 'ptr':
      return 8;
    case 'array':
      return t.length * sizeOf(t.of, strsize);
    case 'struct':
    case 'union':
      return t.size;
    case 'string':
      return strsize;
    default:
      return 0;
  }
}

export function alignOf(t: CType): number {
  switch (t.kind) {
    case 'array':
      return alignOf(t.of);
    case 'struct':
    case 'union':
      return t.align;
    case 'string':
      return 1;
    case 'float':
      return Math.min(t.size, 16);
    default:
      return Math.max(1, sizeOf(t, 1));
  }
}

/** C's integer promotion: anything narrower than int computes as int. */
function promote(t: IntType): IntType {
  return t.size < 4 ? INT : t;
}

/**
 * C's usual arithmetic conversions (LP64): the type two operands are computed in. A value
 * of the traced program (dyn) computes as int64_t.
 */
export function arithmeticType(a: CType, b: CType): CType {
  if (a.kind === 'float' || b.kind === 'float') {
    if (a.kind === 'float' && b.kind === 'float') return a.size >= b.size ? a : b;
    return a.kind === 'float' ? a : b;
  }
  const x = promote(asInt(a) ?? INT64);
  const y = promote(asInt(b) ?? INT64);
  if (x.size !== y.size) {
    const [big, small] = x.size > y.size ? [x, y] : [y, x];
    return big.signed && !small.signed && small.size === big.size ? withSign(big, false) : big;
  }
  if (x.signed === y.signed) return x.size === 8 && x.name !== y.name ? (x.signed ? LONG : ULONG) : x;
  return x.signed ? y : x;
}

/** The integer type of a unary `-` or `~` operand. */
export function unaryType(t: CType): CType {
  if (t.kind === 'float') return t;
  return promote(asInt(t) ?? INT64);
}

function withSign(t: IntType, signed: boolean): IntType {
  return signed ? (t.size === 8 ? LONG : INT) : t.size === 8 ? ULONG : UINT;
}

/**
 * The type of an integer constant as C gives it: decimal fits int, then long, then unsigned
 * long; octal and hex may also be unsigned at each width; `u` and `l` suffixes start later.
 */
export function constantType(text: string, value: bigint): IntType {
  const suffix = /[uUlL]*$/.exec(text)![0].toLowerCase();
  const unsigned = suffix.includes('u');
  const long = suffix.includes('l');
  const decimal = !/^0[xX0-7]/.test(text) || text === '0' || /^0[uUlL]*$/.test(text);
  const candidates: IntType[] = [];
  if (!long) {
    if (!unsigned) candidates.push(INT);
    if (unsigned || !decimal) candidates.push(UINT);
  }
  if (!unsigned) candidates.push(LONG);
  candidates.push(ULONG);
  for (const t of candidates) if (value <= maxOf(t)) return t;
  return ULONG;
}

export function maxOf(t: IntType): bigint {
  return (1n << BigInt(t.size * 8 - (t.signed ? 1 : 0))) - 1n;
}

export function minOf(t: IntType): bigint {
  return t.signed ? -(1n << BigInt(t.size * 8 - 1)) : 0n;
}

/** A value of an integer constant wrapped into type `t`, as a cast does. */
export function wrapConst(v: bigint, t: IntType): bigint {
  return t.signed ? BigInt.asIntN(t.size * 8, v) : BigInt.asUintN(t.size * 8, v);
}

export function sameType(a: CType, b: CType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'int':
      return a.size === (b as IntType).size && a.signed === (b as IntType).signed;
    case 'float':
      return a.size === (b as FloatType).size;
    case 'ptr':
      return sameType(a.to, (b as PtrType).to);
    case 'array':
      return a.length === (b as ArrayType).length && sameType(a.of, (b as ArrayType).of);
    default:
      return a.name === b.name;
  }
}

/** Whether a value of type `from` may be assigned to a variable of type `to`, by D's rules. */
export function assignable(to: CType, from: CType, fromZero = false): boolean {
  if (from.kind === 'dyn' || to.kind === 'dyn') return true;
  const scalar = (t: CType): boolean => t.kind === 'int' || t.kind === 'enum' || t.kind === 'float';
  if (scalar(to) && scalar(from)) return true;
  if (to.kind === 'string' || from.kind === 'string') return to.kind === from.kind;
  const refTo = to.kind === 'ptr' ? to.to : to.kind === 'array' ? to.of : null;
  const refFrom = from.kind === 'ptr' ? from.to : from.kind === 'array' ? from.of : null;
  // DTrace's dt_node_is_ptrcompat: pointers to the same type, or either to void; an integer only as the constant 0.
  if (refTo !== null && refFrom !== null) return refTo.kind === 'void' || refFrom.kind === 'void' || sameType(refTo, refFrom);
  if (refTo !== null || refFrom !== null) return refTo !== null && fromZero && scalar(from);
  return sameType(to, from);
}

/** How a type is named in a message: `int`, `struct foo`, `char *`, `int [5]`. */
export function typeName(t: CType): string {
  if (t.kind === 'dyn') return 'a value of the traced program';
  return t.name;
}

export function pointerTo(t: CType): PtrType {
  return { kind: 'ptr', name: t.name + (t.kind === 'ptr' ? '*' : ' *'), to: t };
}

export function arrayOf(t: CType, length: number): ArrayType {
  return { kind: 'array', name: `${t.name} [${length}]`, of: t, length };
}

/** A scalar's representation in memory: `i`/`u` (integer, signed or not) or `f` (floating point), and its size in bytes. */
export type ScalarKind = 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8' | 'f4' | 'f8';

/** How a scalar of type `t` sits in memory (runtime/scratch.ts), or null when `t` is no scalar of known size. */
export function scalarKind(t: CType): ScalarKind | null {
  if (t.kind === 'float') return t.size === 4 ? 'f4' : t.size === 8 ? 'f8' : null;
  const it = asInt(t);
  return it === null ? null : `${it.signed ? 'i' : 'u'}${it.size}`;
}
