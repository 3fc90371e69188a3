import type { Expr } from './ast.js';
import { scalarKind, type CType, type Member } from './ctypes.js';

/**
 * Lvalues in memory: `*p`, `p[i]` and `p->m` of a pointer, a declared array or struct (global,
 * `self->` or `this->`) some part of which has its address taken (addressed.ts), and the
 * members and elements of those. Other D variables are not in memory here (they have no address).
 */
export function isMemory(e: Expr): boolean {
  switch (e.kind) {
    case 'unary':
      return e.op === '*';
    case 'ident':
      return (e.ref?.kind === 'global' || e.ref?.kind === 'array') && e.ref.inMemory === true;
    case 'self':
    case 'this':
      return e.inMemory === true;
    case 'index': {
      if (e.ref?.kind === 'array') return e.ref.inMemory === true;
      const t = e.target.ctype;
      return t?.kind === 'ptr' || (t?.kind === 'array' && isMemory(e.target));
    }
    case 'member':
      return e.arrow ? e.target.ctype?.kind === 'ptr' : isMemory(e.target);
    default:
      return false;
  }
}

/**
 * Whether a value of `t` can be read from or written to memory whole: scalars, bit-fields,
 * strings (a `char [strsize]`, as in DTrace), and structs, unions and arrays of those.
 */
export function wholeInMemory(t: CType): boolean {
  if (scalarKind(t) !== null || t.kind === 'string') return true;
  if (t.kind === 'array') return wholeInMemory(t.of);
  if (t.kind === 'struct' || t.kind === 'union') return t.members !== null && t.members.every((m) => wholeInMemory(m.type));
  return false;
}

/** The member `s.m` or `p->m` names in its struct or union, when the target is one of the program's. */
export function memberOf(e: Extract<Expr, { kind: 'member' }>): Member | undefined {
  const t = e.target.ctype;
  const s = e.arrow && t?.kind === 'ptr' ? t.to : t;
  if (s?.kind !== 'struct' && s?.kind !== 'union') return undefined;
  return s.members?.find((m) => m.name === e.name);
}

/** An lvalue as a message shows it: `*p`, `this->p[…]`, `p->m`. */
export function lvalueText(e: Expr): string {
  switch (e.kind) {
    case 'ident':
      return e.name;
    case 'self':
      return `self->${e.name}`;
    case 'this':
      return `this->${e.name}`;
    case 'unary':
      return e.op === '*' || e.op === '&' ? `${e.op}${lvalueText(e.operand)}` : 'expression';
    case 'index':
      return `${lvalueText(e.target)}[…]`;
    case 'member':
      return `${lvalueText(e.target)}${e.arrow ? '->' : '.'}${e.name}`;
    case 'int':
      return String(e.value);
    case 'str':
      return JSON.stringify(e.value);
    case 'call':
      return `${e.name}(…)`;
    default:
      return 'expression';
  }
}
