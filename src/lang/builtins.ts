import { AGG_FUNCTIONS, type AggFunctionInfo } from '../aggregate/create.js';
import type { Type } from './ast.js';

/**
 * What a clause needs from its binding. A shared-memory binding copies a fixed record, so
 * it cannot give live objects, `this`, the stack or the return value's identity.
 */
export const Capability = {
  LiveObjects: 'live-objects',
  This: 'this',
  Stack: 'stack',
  Strings: 'strings',
  Retval: 'retval',
  Error: 'error',
  SelfVars: 'self',
  Timestamp: 'timestamp',
  /** `vtime` and `concurrency`: kept on the call's entry event, which only the direct binding holds. */
  Vtime: 'vtime',
  Concurrency: 'concurrency',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

export interface BuiltinVar {
  readonly type: Type;
  readonly needs?: Capability;
}

export const BUILTIN_VARS: ReadonlyMap<string, BuiltinVar> = new Map<string, BuiltinVar>([
  ...Array.from({ length: 10 }, (_, i): [string, BuiltinVar] => [`arg${i}`, { type: 'dyn' }]),
  ['args', { type: 'dyn' }],
  ['retval', { type: 'dyn', needs: Capability.Retval }],
  ['errno', { type: 'int', needs: Capability.Error }],
  ['errmsg', { type: 'string', needs: Capability.Error }],
  ['timestamp', { type: 'int', needs: Capability.Timestamp }],
  ['vtimestamp', { type: 'int' }],
  ['walltimestamp', { type: 'int' }],
  ['pid', { type: 'int' }],
  ['ppid', { type: 'int' }],
  ['tid', { type: 'int' }],
  ['uid', { type: 'int' }],
  ['gid', { type: 'int' }],
  ['cpu', { type: 'int' }],
  ['id', { type: 'int' }],
  ['execname', { type: 'string' }],
  ['cwd', { type: 'string' }],
  ['probeprov', { type: 'string' }],
  ['probemod', { type: 'string' }],
  ['probefunc', { type: 'string' }],
  ['probename', { type: 'string' }],
  ['activity', { type: 'int' }],
  ['elapsed', { type: 'int', needs: Capability.Timestamp }],
  ['vtime', { type: 'int', needs: Capability.Vtime }],
  ['concurrency', { type: 'int', needs: Capability.Concurrency }],
  ['NULL', { type: 'int' }],
  ['$target', { type: 'int' }],
  ['AF_INET', { type: 'int' }],
  ['AF_INET6', { type: 'int' }],
]);

export type ArgType = Type | 'agg' | 'any' | 'const';

export interface BuiltinFunc {
  /** Parameter types; `min` of them are required. */
  readonly params: readonly ArgType[];
  readonly min: number;
  /** Extra arguments of any type (printf, printa). */
  readonly variadic?: boolean;
  readonly returns: Type;
  /** Actions record output or change state; they are valid as statements only. */
  readonly action?: boolean;
  readonly needs?: Capability;
}

function fn(params: ArgType[], min: number, returns: Type, extra: Partial<BuiltinFunc> = {}): BuiltinFunc {
  return { params, min, returns, ...extra };
}

export const BUILTIN_FUNCS: ReadonlyMap<string, BuiltinFunc> = new Map<string, BuiltinFunc>([
  ['strlen', fn(['string'], 1, 'int')],
  ['strjoin', fn(['string', 'string'], 2, 'string')],
  ['substr', fn(['string', 'int', 'int'], 2, 'string')],
  ['index', fn(['string', 'string', 'int'], 2, 'int')],
  ['rindex', fn(['string', 'string', 'int'], 2, 'int')],
  ['strstr', fn(['string', 'string'], 2, 'string')],
  ['strchr', fn(['string', 'int'], 2, 'string')],
  ['strrchr', fn(['string', 'int'], 2, 'string')],
  ['tolower', fn(['string'], 1, 'string')],
  ['toupper', fn(['string'], 1, 'string')],
  ['lltostr', fn(['int', 'int'], 1, 'string')],
  ['strtoll', fn(['string', 'int'], 1, 'int')],
  ['json', fn(['string', 'string'], 2, 'string')],
  ['strtok', fn(['string', 'string'], 2, 'string')],
  ['cleanpath', fn(['string'], 1, 'string')],
  ['inet_ntoa', fn(['any'], 1, 'string')],
  ['inet_ntoa6', fn(['any'], 1, 'string')],
  ['inet_ntop', fn(['int', 'any'], 2, 'string')],
  ['alloca', fn(['int'], 1, 'int')],
  ['bcopy', fn(['any', 'int', 'int'], 3, 'void')],
  ['copyinto', fn(['any', 'int', 'int'], 3, 'void')],
  ['basename', fn(['string'], 1, 'string')],
  ['dirname', fn(['string'], 1, 'string')],
  ['copyinstr', fn(['any'], 1, 'string')],
  ['stringof', fn(['any'], 1, 'string')],
  ['str', fn(['any'], 1, 'string')],
  ['stack', fn(['int'], 0, 'string', { needs: Capability.Stack })],
  ['ustack', fn(['int'], 0, 'string', { needs: Capability.Stack })],
  ['speculation', fn([], 0, 'int')],
  ['rand', fn([], 0, 'int')],
  ['trace', fn(['any'], 1, 'void', { action: true })],
  ['tracemem', fn(['any', 'int', 'int'], 2, 'void', { action: true })],
  ['print', fn(['any'], 1, 'void', { action: true })],
  ['printf', fn(['const'], 1, 'void', { action: true, variadic: true })],
  ['printa', fn(['any'], 1, 'void', { action: true, variadic: true })],
  ['exit', fn(['int'], 1, 'void', { action: true })],
  ['clear', fn(['agg'], 1, 'void', { action: true })],
  ['trunc', fn(['agg', 'int'], 1, 'void', { action: true })],
  ['normalize', fn(['agg', 'int'], 2, 'void', { action: true })],
  ['denormalize', fn(['agg'], 1, 'void', { action: true })],
  ['setopt', fn(['const', 'const'], 1, 'void', { action: true })],
  ['speculate', fn(['int'], 1, 'void', { action: true })],
  ['commit', fn(['int'], 1, 'void', { action: true })],
  ['discard', fn(['int'], 1, 'void', { action: true })],
]);

/** Functions that read or write scratch memory: a clause calling one starts with its scratch empty. */
export const SCRATCH_FUNCS: ReadonlySet<string> = new Set([
  'alloca',
  'bcopy',
  'copyinto',
  'tracemem',
  'inet_ntoa',
  'inet_ntoa6',
  'inet_ntop',
  'stringof',
  'copyinstr',
]);

/** `NULL`: D's null pointer, which a string compares equal to when it is the null string (here: ""). */
export function isNull(e: { kind: string; name?: string; ref?: { kind: string } }): boolean {
  return e.kind === 'ident' && e.name === 'NULL' && e.ref?.kind === 'builtin';
}

/** Aggregating functions (D's and bpftrace's aliases), as the aggregate layer declares them. */
export const AGG_FUNCS: ReadonlyMap<string, AggFunctionInfo> = new Map(Object.entries(AGG_FUNCTIONS));

/** Arguments of an aggregating function: value, constant parameters, then an optional weight. */
export function aggArity(f: AggFunctionInfo): { min: number; max: number } {
  const v = f.takesValue ? 1 : 0;
  return { min: v + f.minParams, max: v + f.maxParams + (f.takesIncr ? 1 : 0) };
}
