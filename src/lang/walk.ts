import type { Expr, Program, Stmt } from './ast.js';

/** Children of an expression, in evaluation order. */
export function childrenOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'index':
      return [e.target, ...e.keys];
    case 'member':
      return [e.target];
    case 'call':
      return e.args;
    case 'unary':
      return [e.operand];
    case 'update':
      return [e.target];
    case 'binary':
      return [e.left, e.right];
    case 'ternary':
      return [e.cond, e.then, e.else];
    case 'assign':
      return [e.target, e.value];
    default:
      return [];
  }
}

export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  for (const c of childrenOf(e)) visitExpr(c, f);
}

export function stmtExprs(s: Stmt): readonly Expr[] {
  return s.kind === 'expr' ? [s.expr] : [...s.keys, ...s.args];
}

/** Calls `f` on every expression of the program, predicates first within each clause. */
export function visitProgram(p: Program, f: (e: Expr, clause: number) => void): void {
  for (const c of p.clauses) {
    if (c.predicate !== null) visitExpr(c.predicate, (e) => f(e, c.index));
    for (const s of c.body) for (const e of stmtExprs(s)) visitExpr(e, (x) => f(x, c.index));
  }
}
