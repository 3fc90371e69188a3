import type { ProbeDescription } from '../core/index.js';
import type { CType } from './ctypes.js';
import type { Declarations } from './declarations.js';

/** Offsets into the source file a node came from. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** The kind of value an expression has (ctypes.ts's `coarse`); `ctype` on a node is its full D type. */
export type Type = 'int' | 'float' | 'string' | 'dyn' | 'void' | 'struct';

interface Typed {
  type?: Type;
  ctype?: CType;
}

export type Expr = Typed &
  (
    | { kind: 'int'; span: Span; value: number | bigint }
    | { kind: 'float'; span: Span; value: number }
    | { kind: 'str'; span: Span; value: string }
    | { kind: 'ident'; span: Span; name: string; ref?: VarRef }
    /** `inMemory`: the variable's value is its bytes, at an address, because `&` of a part of it is taken (addressed.ts). */
    | { kind: 'self' | 'this'; span: Span; name: string; ref?: VarRef; inMemory?: boolean }
    | { kind: 'thisarg'; span: Span }
    | { kind: 'index'; span: Span; target: Expr; keys: Expr[]; ref?: VarRef }
    | { kind: 'member'; span: Span; target: Expr; name: string; nameSpan: Span; arrow: boolean }
    | { kind: 'call'; span: Span; name: string; nameSpan: Span; args: Expr[] }
    | { kind: 'agg'; span: Span; name: string }
    /** `op` is `- + ! ~`, or `cast` with `to` the type cast to. */
    | { kind: 'unary'; span: Span; op: string; operand: Expr; to?: CType }
    | { kind: 'update'; span: Span; op: '++' | '--'; prefix: boolean; target: Expr }
    | { kind: 'binary'; span: Span; op: string; left: Expr; right: Expr }
    | { kind: 'ternary'; span: Span; cond: Expr; then: Expr; else: Expr }
    | { kind: 'assign'; span: Span; op: string; target: Expr; value: Expr }
    /** `sizeof expr`: the operand is typed, never evaluated. */
    | { kind: 'sizeof'; span: Span; operand: Expr }
    /** `xlate <T> (expr)`: the translator from the operand's type to `to`. */
    | { kind: 'xlate'; span: Span; to: CType; operand: Expr }
  );

/** What a name resolved to; filled by the resolve pass. */
export type VarRef =
  | { kind: 'builtin'; name: string }
  /** An enumerator or an `inline`: a named constant or expression. */
  | { kind: 'const'; name: string }
  | { kind: 'inline'; name: string }
  /** A translator's parameter, inside its member expressions. */
  | { kind: 'param'; name: string }
  /** `inMemory`: the variable lives at an address because `&` of a part of it is taken (addressed.ts). */
  | { kind: 'global'; name: string; inMemory?: boolean }
  | { kind: 'array'; name: string; inMemory?: boolean }
  | { kind: 'self'; name: string }
  | { kind: 'this'; name: string };

export type Stmt =
  | { kind: 'expr'; span: Span; expr: Expr }
  | { kind: 'aggregate'; span: Span; name: string; nameSpan: Span; keys: Expr[]; func: string; funcSpan: Span; args: Expr[] };

export interface ProbeSpec {
  readonly text: string;
  readonly span: Span;
  /** Set for probes the weaver links; null for BEGIN, END, ERROR and tick-N. */
  readonly description: ProbeDescription | null;
  readonly special: SpecialProbe | null;
}

export type SpecialProbe = { kind: 'BEGIN' | 'END' | 'ERROR' } | { kind: 'tick'; periodNs: number };

export interface Clause {
  readonly index: number;
  readonly probes: ProbeSpec[];
  readonly predicate: Expr | null;
  readonly body: Stmt[];
  /** No `{…}` followed the descriptions: DTrace's default action prints one line per firing. */
  readonly defaultAction: boolean;
  readonly span: Span;
}

/** `#pragma D option NAME[=VALUE]`, or `#pragma [D] binding NAME` for the clauses after it in its file. */
export type Pragma =
  | { readonly kind: 'option'; readonly option: string; readonly value: string; readonly span: Span }
  | { readonly kind: 'binding'; readonly name: string; readonly nameSpan: Span; readonly span: Span };

export interface Program {
  readonly clauses: Clause[];
  readonly pragmas: Pragma[];
  /** Types, typedefs, declared variables, inlines and translators, from every file. */
  readonly decls: Declarations;
}
