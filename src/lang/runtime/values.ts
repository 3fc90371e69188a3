import * as types from 'node:util/types';
import { addInt, mulInt, normInt, toBig } from '../../aggregate/int64.js';

/** A fault inside a clause: counted and reported through the ERROR probe, never thrown to the app. */
export class DFault extends Error {
  constructor(
    readonly fault: string,
    message: string,
  ) {
    super(message);
  }
}

export type DValue = number | bigint | string | object | undefined;

/** Integer view of a value read from a live object; missing reads as 0. */
export function toInt(v: unknown): number | bigint {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Math.trunc(v);
  if (typeof v === 'bigint') return normInt(BigInt.asIntN(64, v));
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? Math.trunc(n) : 0;
  }
  return 0;
}

/** String view of a value; missing reads as "". Objects never have their toString called. */
export function toStr(v: unknown, strsize: number): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v === undefined || v === null) s = '';
  else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') s = String(v);
  else if (Array.isArray(v) && !types.isProxy(v)) s = joinArray(v, strsize);
  else s = objectTag(v);
  return s.length > strsize ? s.slice(0, strsize) : s;
}

/** `addresses` of a dns record reads as `127.0.0.1,::1`: primitive elements only, no getters run. */
function joinArray(a: readonly unknown[], strsize: number): string {
  let s = '';
  for (let i = 0; i < a.length && s.length <= strsize; i++) {
    const d = Object.getOwnPropertyDescriptor(a, i);
    const e: unknown = d !== undefined && 'value' in d ? d.value : undefined;
    s += (i === 0 ? '' : ',') + ((typeof e === 'object' && e !== null) || typeof e === 'function' ? objectTag(e) : String(e ?? ''));
  }
  return s;
}

/** A value as an aggregation or array key: integers and strings only. */
export function toKey(v: unknown): number | bigint | string {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return normInt(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined || v === null) return 0;
  return objectTag(v);
}

/**
 * `[object TAG]` as Object.prototype.toString gives it, without running program code: TAG is a
 * `Symbol.toStringTag` found as a data property up the prototype chain (an accessor is never
 * called), else the built-in kind; a proxy is `[object Proxy]` and none of its traps run.
 */
export function objectTag(v: unknown): string {
  if (types.isProxy(v)) return '[object Proxy]';
  let o = v as object | null;
  for (let depth = 0; o !== null && depth < 32; depth++) {
    const d = Object.getOwnPropertyDescriptor(o, Symbol.toStringTag);
    if (d !== undefined) {
      if ('value' in d && typeof d.value === 'string') return `[object ${d.value}]`;
      break;
    }
    o = Object.getPrototypeOf(o) as object | null;
    if (types.isProxy(o)) break;
  }
  return `[object ${builtinTag(v)}]`;
}

function builtinTag(v: unknown): string {
  if (typeof v === 'function') return 'Function';
  if (Array.isArray(v)) return 'Array';
  if (types.isArgumentsObject(v)) return 'Arguments';
  if (types.isNativeError(v)) return 'Error';
  if (types.isDate(v)) return 'Date';
  if (types.isRegExp(v)) return 'RegExp';
  if (types.isBooleanObject(v)) return 'Boolean';
  if (types.isNumberObject(v)) return 'Number';
  if (types.isStringObject(v)) return 'String';
  return 'Object';
}

export function truthy(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '';
  if (typeof v === 'bigint') return v !== 0n;
  return v !== undefined && v !== null && v !== false;
}

/** D's `==` between values of unknown type: numbers compare numerically, missing equals 0 and "". */
export function looseEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return false;
  if (typeof a === 'string' || typeof b === 'string') return toStr(a, Infinity) === toStr(b, Infinity);
  if (typeof a === 'object' || typeof b === 'object') return false;
  return toInt(a) == toInt(b);
}

export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' || typeof b === 'string') {
    const x = toStr(a, Infinity);
    const y = toStr(b, Infinity);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toInt(a);
  const y = toInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * `obj.name` without side effects: own data properties, then data properties up the
 * prototype chain; accessors and proxies read as missing, so no user code ever runs.
 */
export function readMember(obj: unknown, name: string | number): DValue {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
    if (typeof obj === 'string' && name === 'length') return obj.length;
    return undefined;
  }
  let o: object | null = obj;
  for (let depth = 0; o !== null && depth < 32; depth++) {
    if (types.isProxy(o)) return undefined;
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d !== undefined) return 'value' in d ? normalize(d.value) : undefined;
    o = Object.getPrototypeOf(o) as object | null;
  }
  return undefined;
}

export function normalize(v: unknown): DValue {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null || typeof v === 'symbol') return undefined;
  if (typeof v === 'bigint') return normInt(v);
  return v as DValue;
}

/** `args[i]` and `argN`. */
export function argAt(args: readonly unknown[], i: unknown): DValue {
  const n = Number(toInt(i));
  return n >= 0 && n < args.length ? normalize(args[n]) : undefined;
}

export function subInt(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b;
    if (d <= Number.MAX_SAFE_INTEGER && d >= -Number.MAX_SAFE_INTEGER) return d;
  }
  return normInt(BigInt.asIntN(64, toBig(a) - toBig(b)));
}

export function div(a: number | bigint, b: number | bigint): number | bigint {
  if (b === 0) throw new DFault('divide-by-zero', 'divide-by-zero');
  if (typeof a === 'number' && typeof b === 'number') {
    const q = Math.trunc(a / b);
    return q === 0 ? 0 : q;
  }
  return normInt(toBig(a) / toBig(b));
}

export function mod(a: number | bigint, b: number | bigint): number | bigint {
  if (b === 0) throw new DFault('divide-by-zero', 'divide-by-zero');
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    return r === 0 ? 0 : r;
  }
  return normInt(toBig(a) % toBig(b));
}

/** Bitwise operators on 64-bit integers; int32 operands take the fast path. */
export function bitop(op: number, a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b && a >= 0 && b >= 0 && op < 3) {
    return op === 0 ? a & b : op === 1 ? a | b : a ^ b;
  }
  const x = toBig(a);
  const y = toBig(b);
  let r: bigint;
  switch (op) {
    case 0:
      r = x & y;
      break;
    case 1:
      r = x | y;
      break;
    case 2:
      r = x ^ y;
      break;
    case 3:
      r = x << (y & 63n);
      break;
    default:
      r = x >> (y & 63n);
  }
  return normInt(BigInt.asIntN(64, r));
}

export function bnot(a: number | bigint): number | bigint {
  return normInt(BigInt.asIntN(64, ~toBig(a)));
}

export function neg(a: number | bigint): number | bigint {
  return typeof a === 'number' ? (a === 0 ? 0 : -a) : normInt(BigInt.asIntN(64, -a));
}

export function add(a: number | bigint, b: number | bigint): number | bigint {
  const r = addInt(a, b);
  return typeof r === 'bigint' ? normInt(BigInt.asIntN(64, r)) : r;
}

export function mul(a: number | bigint, b: number | bigint): number | bigint {
  const r = mulInt(a, b);
  return typeof r === 'bigint' ? normInt(BigInt.asIntN(64, r)) : r;
}

/** The key of an associative-array element: one value as itself, a tuple as one string. */
export function tupleKey(keys: readonly unknown[]): number | bigint | string {
  if (keys.length === 1) return toKey(keys[0]);
  let s = '';
  for (const k of keys) {
    const v = toKey(k);
    s += (typeof v === 'string' ? 's' + v.length + ':' + v : 'n' + String(v)) + '\0';
  }
  return s;
}

// Conversions into D's integer types, for values that may be bigints (64-bit sources).
// Values of a type narrower than 64 bits are always JavaScript numbers.

export function i32(x: number | bigint): number {
  return typeof x === 'number' ? x | 0 : Number(BigInt.asIntN(32, x));
}

export function u32(x: number | bigint): number {
  return typeof x === 'number' ? x >>> 0 : Number(BigInt.asUintN(32, x));
}

/** Into a signed or unsigned integer of `bits` (8 or 16) bits. */
export function narrow(x: number | bigint, bits: number, signed: boolean): number {
  const n = typeof x === 'number' ? x | 0 : Number(BigInt.asIntN(32, x));
  const s = 32 - bits;
  return signed ? (n << s) >> s : (n << s) >>> s;
}

export function i64(x: number | bigint): number | bigint {
  return typeof x === 'number' ? x : normInt(BigInt.asIntN(64, x));
}

export function u64(x: number | bigint): number | bigint {
  if (typeof x === 'number' && x >= 0) return x;
  return normInt(BigInt.asUintN(64, toBig(x)));
}

export function addU(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (s <= Number.MAX_SAFE_INTEGER) return s;
  }
  return normInt(BigInt.asUintN(64, toBig(a) + toBig(b)));
}

export function subU(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b;
    if (d >= 0) return d === 0 ? 0 : d;
  }
  return normInt(BigInt.asUintN(64, toBig(a) - toBig(b)));
}

/** A floating-point value into int64_t: truncated toward zero, NaN as 0. */
export function f2i(x: number): number | bigint {
  if (!Number.isFinite(x)) return 0;
  const t = Math.trunc(x);
  if (t <= Number.MAX_SAFE_INTEGER && t >= -Number.MAX_SAFE_INTEGER) return t === 0 ? 0 : t;
  return normInt(BigInt.asIntN(64, BigInt(t)));
}

/** A value of the traced program as a double: numbers as they are, numeric strings parsed, else 0. */
export function toNum(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

/** An index into a declared array of `length` elements; outside it is a fault, as in DTrace. */
export function bound(i: number | bigint, length: number, name: string): number {
  if (typeof i === 'number' && i >= 0 && i < length) return i;
  throw new DFault('index-out-of-bounds', `index ${String(i)} is out of bounds for ${name}[${length}]`);
}

/** A copy of struct value `s` with the member path `names` set to `v`; `s` itself is never changed. */
export function sput(s: object, path: readonly (string | number)[], v: unknown, at = 0): object {
  const copy = (Array.isArray(s) ? [...(s as unknown[])] : { ...s }) as Record<string | number, unknown>;
  const n = path[at]!;
  copy[n] = at === path.length - 1 ? v : sput((s as Record<string | number, object>)[n]!, path, v, at + 1);
  return copy;
}
