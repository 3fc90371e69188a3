import type { ProbeDescription } from '../core/index.js';

/** Offsets into the source file a node came from. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export type Type = 'int' | 'string' | 'dyn' | 'void';

export type Expr =
  | { kind: 'int'; span: Span; value: number | bigint; type?: Type }
  | { kind: 'str'; span: Span; value: string; type?: Type }
  | { kind: 'ident'; span: Span; name: string; type?: Type; ref?: VarRef }
  | { kind: 'self' | 'this'; span: Span; name: string; type?: Type; ref?: VarRef }
  | { kind: 'thisarg'; span: Span; type?: Type }
  | { kind: 'index'; span: Span; target: Expr; keys: Expr[]; type?: Type; ref?: VarRef }
  | { kind: 'member'; span: Span; target: Expr; name: string; nameSpan: Span; type?: Type }
  | { kind: 'call'; span: Span; name: string; nameSpan: Span; args: Expr[]; type?: Type }
  | { kind: 'agg'; span: Span; name: string; type?: Type }
  | { kind: 'unary'; span: Span; op: string; operand: Expr; type?: Type }
  | { kind: 'update'; span: Span; op: '++' | '--'; prefix: boolean; target: Expr; type?: Type }
  | { kind: 'binary'; span: Span; op: string; left: Expr; right: Expr; type?: Type }
  | { kind: 'ternary'; span: Span; cond: Expr; then: Expr; else: Expr; type?: Type }
  | { kind: 'assign'; span: Span; op: string; target: Expr; value: Expr; type?: Type };

/** What a name resolved to; filled by the resolve pass. */
export type VarRef =
  | { kind: 'builtin'; name: string }
  | { kind: 'global'; name: string }
  | { kind: 'array'; name: string }
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
}
