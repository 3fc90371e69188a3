import { asInt, INT64, type CType, type IntType } from './ctypes.js';

/**
 * Generated code for D's conversions and arithmetic, by type. An integer of 32 bits or fewer is
 * always a JavaScript number, so its arithmetic is one JS operator and a wrap (`| 0`, `>>> 0`,
 * `Math.imul`); a 64-bit one is a number while it is a safe integer and a bigint beyond, through
 * the exact helpers of runtime/values.ts; a floating-point value is a number.
 */

/** Whether every value of `s` is a value of `t`. */
function fits(s: IntType, t: IntType): boolean {
  if (s.signed === t.signed) return s.size <= t.size;
  return !s.signed && s.size < t.size;
}

/** `code`, a value of integer type `from`, as integer type `to`. */
function intToInt(code: string, from: IntType, to: IntType): string {
  if (fits(from, to)) return code;
  const small = from.size <= 4;
  switch (to.size) {
    case 8:
      return to.signed ? `i64(${code})` : `u64(${code})`;
    case 4:
      if (small) return to.signed ? `(${code} | 0)` : `(${code} >>> 0)`;
      return to.signed ? `i32(${code})` : `u32(${code})`;
    default: {
      const shift = 32 - to.size * 8;
      if (small) return to.signed ? `((${code} << ${shift}) >> ${shift})` : `(${code} & ${to.size === 1 ? '0xff' : '0xffff'})`;
      return `narrow(${code}, ${to.size * 8}, ${to.signed})`;
    }
  }
}

/** `code`, a value of type `from`, as a value of type `to`. */
export function convert(code: string, from: CType, to: CType): string {
  if (from === to) return code;
  switch (to.kind) {
    case 'dyn':
      return from.kind === 'dyn' || from.kind === 'void' ? `nv(${code})` : code;
    case 'string':
      return from.kind === 'string' ? code : `ts(${code})`;
    case 'float': {
      let c: string;
      if (from.kind === 'float') c = code;
      else if (from.kind === 'dyn') c = `toNum(${code})`;
      else {
        const fi = asInt(from);
        c = fi !== null && fi.size <= 4 ? code : `Number(${code})`;
      }
      return to.size === 4 && !(from.kind === 'float' && from.size === 4) ? `Math.fround(${c})` : c;
    }
    case 'int':
    case 'enum':
    case 'ptr': {
      const t = asInt(to)!;
      if (from.kind === 'float') return intToInt(`f2i(${code})`, INT64, t);
      const f = asInt(from);
      if (f === null) return intToInt(`toInt(${code})`, INT64, t);
      return intToInt(code, f, t);
    }
    case 'struct':
    case 'union':
      return from.kind === 'dyn' ? code : `structuredClone(${code})`;
    default:
      return code;
  }
}

const BIT_OPS: Record<string, number> = { '&': 0, '|': 1, '^': 2, '<<': 3, '>>': 4 };
const BIN_INT64: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod' };

/** `l op r` computed in type `t`; both operands are already values of `t` (a shift's right operand of int64_t). */
export function arithmetic(op: string, l: string, r: string, t: CType): string {
  if (t.kind === 'float') {
    const c = `(${l} ${op} ${r})`;
    return t.size === 4 ? `Math.fround${c}` : c;
  }
  const it = asInt(t)!;
  if (it.size === 8) {
    const f = BIN_INT64[op];
    const c = f !== undefined ? `${f}(${l}, ${r})` : `bitop(${BIT_OPS[op]!}, ${l}, ${r})`;
    if (it.signed) return c;
    if (op === '+') return `addU(${l}, ${r})`;
    if (op === '-') return `subU(${l}, ${r})`;
    if (op === '/' || op === '%' || op === '>>') return c;
    return `u64(${c})`;
  }
  const wrap = it.signed ? (c: string): string => `(${c} | 0)` : (c: string): string => `(${c} >>> 0)`;
  switch (op) {
    case '+':
    case '-':
      return wrap(`${l} ${op} ${r}`);
    case '*':
      return it.signed ? `Math.imul(${l}, ${r})` : `(Math.imul(${l}, ${r}) >>> 0)`;
    case '/':
      return it.signed ? `(div(${l}, ${r}) | 0)` : `div(${l}, ${r})`;
    case '%':
      return `mod(${l}, ${r})`;
    case '&':
    case '|':
    case '^':
      return it.signed ? `(${l} ${op} ${r})` : `((${l} ${op} ${r}) >>> 0)`;
    default:
      return it.signed ? `i32(bitop(${BIT_OPS[op]!}, ${l}, ${r}))` : `u32(bitop(${BIT_OPS[op]!}, ${l}, ${r}))`;
  }
}

/** `-x` or `~x` in type `t`. */
export function unaryArithmetic(op: '-' | '~', x: string, t: CType): string {
  if (t.kind === 'float') return `(-${x})`;
  const it = asInt(t)!;
  if (it.size === 8) {
    const c = op === '-' ? `neg(${x})` : `bnot(${x})`;
    return it.signed ? c : `u64(${c})`;
  }
  const c = op === '-' ? `(-${x})` : `(~${x})`;
  return it.signed ? `(${c} | 0)` : `(${c} >>> 0)`;
}
