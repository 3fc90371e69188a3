import { compileFunction } from 'node:vm';
import { symbolOf } from './symbols.js';
import {
  substr,
  index,
  rindex,
  charAt,
  strstr,
  strchr,
  strrchr,
  lltostr,
  strtoll,
  cleanpath,
  basename,
  dirname,
  json,
  inetNtoa,
  inetNtoa6,
  AF_INET,
  AF_INET6,
} from './strings.js';
import type { ClauseRuntime } from './runtime.js';
import { SelfMap, vacant, type DynVars, type SlotLedger } from './dynvars.js';
import type { Scratch } from './scratch.js';
import {
  add,
  argAt,
  bitop,
  bnot,
  compare,
  div,
  looseEq,
  mod,
  mul,
  neg,
  normalize,
  readMember,
  subInt,
  toInt,
  toKey,
  toStr,
  truthy,
  tupleKey,
  i32,
  u32,
  narrow,
  i64,
  u64,
  addU,
  subU,
  f2i,
  toNum,
  bound,
  sput,
} from './values.js';

// Named, not `import * as S`: a namespace object needs esbuild's runtime helper, a file of lib/ that
// every process would load for it (test/lang/strings.test.ts checks that S has every export).
const S = {
  substr,
  index,
  rindex,
  charAt,
  strstr,
  strchr,
  strrchr,
  lltostr,
  strtoll,
  cleanpath,
  basename,
  dirname,
  json,
  inetNtoa,
  inetNtoa6,
  AF_INET,
  AF_INET6,
};

type AnyMap = Map<unknown, unknown>;

/** Stores into an associative array; storing 0 or "" frees the element, as in D; `dv` bounds them (dynvarsize). */
function aset<T>(m: AnyMap, k: unknown, v: T, dv: DynVars): T {
  if (vacant(v)) dv.free(m, k);
  else dv.set(m, k, v);
  return v;
}

/** The struct stored at `k`, made and stored when there is none, so that a member can be set in place. */
function aobj(m: AnyMap, k: unknown, make: () => object, dv: DynVars): object {
  const v = m.get(k) as object | undefined;
  if (v !== undefined) return v;
  const o = make();
  dv.set(m, k, o);
  return o;
}

/** Stores a self-> variable into its context's slots (rt.selfWrite()); `dv` bounds them as it does arrays. */
function sset<T>(slots: unknown[], i: number, v: T, dv: DynVars, defaults: readonly unknown[]): T {
  dv.setSlot(slots, i, v, defaults[i]);
  return v;
}

const NO_ELEMENTS: ReadonlyMap<unknown, unknown> = new Map();

/** A `self->` associative array as read: its context's elements, or none before its first store. */
function smr(v: unknown): ReadonlyMap<unknown, unknown> {
  return v instanceof SelfMap ? v : NO_ELEMENTS;
}

/** A `self->` associative array to store into: this context's own (rt.selfWrite()), made at its first store. */
function smw(slots: unknown[], i: number, dv: DynVars, defaults: readonly unknown[]): AnyMap {
  const v = slots[i];
  if (v instanceof SelfMap) return v;
  const m = new SelfMap(slots[slots.length - 1] as SlotLedger);
  // Dropped, the store lands in elements no variable holds, as a dropped element's value is lost.
  dv.setSlot(slots, i, m, defaults[i]);
  return m;
}

/** A `self->` variable in memory's bytes in this context's slots, made (zeroed) at its first write; a drop when they do not fit dynvarsize. */
function sbytes(slots: unknown[], i: number, size: number, dv: DynVars, defaults: readonly unknown[]): Uint8Array {
  const v = slots[i];
  if (v instanceof Uint8Array) return v;
  const bytes = new Uint8Array(size);
  // Dropped, the store lands in bytes no variable holds, as a dropped element's value is lost.
  dv.setSlot(slots, i, bytes, defaults[i]);
  return bytes;
}

/** The address of a `self->` or `this->` variable's bytes (addressed.ts), or 0 before it has any, as DTrace's is. */
function vaddr(scratch: Scratch, v: unknown): number {
  return v instanceof Uint8Array ? scratch.addressOf(v) : 0;
}

function aincr(m: AnyMap, k: unknown, d: number, prefix: boolean, dv: DynVars): number | bigint {
  const old = toInt(m.get(k));
  const next = add(old, d);
  aset(m, k, next, dv);
  return prefix ? next : old;
}

/** What the generated factory returns: one function per clause, and access to the program's globals. */
export interface ClauseSet {
  readonly clauses: ((ev: unknown) => void)[];
  readonly globals: GlobalAccess;
}

/** The globals of one instance: scalars read and set by index, associative arrays as their Maps. */
export interface GlobalAccess {
  read(): unknown[];
  write(index: number, value: unknown): void;
  readonly arrays: readonly Map<unknown, unknown>[];
}

export type ClauseFactory = (rt: ClauseRuntime, h: typeof helpers) => ClauseSet;

const helpers = {
  add,
  sub: subInt,
  mul,
  div,
  mod,
  bitop,
  bnot,
  neg,
  toInt,
  toStr,
  toKey,
  tupleKey,
  truthy,
  looseEq,
  compare,
  readMember,
  argAt,
  nv: normalize,
  aset,
  aincr,
  aobj,
  sset,
  smr,
  smw,
  sbytes,
  vaddr,
  S,
  i32,
  u32,
  narrow,
  i64,
  u64,
  addU,
  subU,
  f2i,
  toNum,
  bound,
  sput,
  sym: symbolOf,
};

/**
 * The functions generated code calls, bound once per instance as locals of the factory so
 * that calls are direct and V8 can inline them.
 */
export const clauseHelpers = {
  helpers,
  prologue:
    '"use strict";\n' +
    `const { ${Object.keys(helpers).join(', ')} } = h;\n` +
    'const ts = (v) => h.toStr(v, rt.strsize);\n' +
    'const dv = rt.dynvars;\n' +
    'const sd = rt.selfDefaults;\n',
};

/**
 * Where the clause functions' frames say they are (ustack() leaves them out): not a file: URL,
 * which coverage tools would try to read.
 */
export const CLAUSES_FILE = 'mscope:d-clauses';

/**
 * Builds the factory of a program's clause functions from the source code generation gave it.
 * Through `vm`, not `new Function`: a process run with --disallow-code-generation-from-strings
 * refuses the latter.
 */
export function clauseFactory(code: string): ClauseFactory {
  return compileFunction(clauseHelpers.prologue + code, ['rt', 'h'], { filename: CLAUSES_FILE }) as ClauseFactory;
}
