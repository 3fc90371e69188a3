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
    case 'sizeof':
    case 'xlate':
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

/** Calls `f` on `e` and everything under it, parents first; a stack, not recursion, so long chains walk too. */
export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  const todo: Expr[] = [e];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    f(x);
    const cs = childrenOf(x);
    for (let i = cs.length - 1; i >= 0; i--) todo.push(cs[i]!);
  }
}

/**
 * The binary nodes down the left side of `e`, innermost first: `1 + 2 + 3` parses as
 * `(1 + 2) + 3`, so a long chain is a deep left spine that passes walk by loop, not recursion.
 */
export function leftSpine(e: Extract<Expr, { kind: 'binary' }>): Array<Extract<Expr, { kind: 'binary' }>> {
  const spine = [e];
  for (let x = e.left; x.kind === 'binary'; x = x.left) spine.push(x);
  return spine.reverse();
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
