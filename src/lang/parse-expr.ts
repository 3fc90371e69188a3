import type { Expr } from './ast.js';
import type { DiagnosticBag } from './diagnostics.js';
import { describeToken, T, type Token } from './lexer.js';
import { MACRO_HINT, MACRO_VAR_HINT, macroValue, TARGET_MACRO, type MacroArgs } from './macros.js';
import { TokenStream } from './parse-tokens.js';

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);
/** Binary operators by precedence, loosest first (C's table plus D's `^^`). */
const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['^^'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];
/**
 * How deeply expressions may nest (parentheses, operands of prefix operators, ternary
 * branches, assignments, arguments): the parser and later passes recurse once per level.
 */
export const MAX_NESTING = 128;
const CAST_TYPES = new Set([
  'int',
  'uint',
  'long',
  'char',
  'short',
  'int64_t',
  'uint64_t',
  'int32_t',
  'uint32_t',
  'uintptr_t',
  'size_t',
  'string',
]);

/** Expressions, by precedence climbing over C's operator table, with D's casts and macros. */
export class ExprParser extends TokenStream {
  protected inPredicate = false;
  private depth = 0;

  constructor(
    text: string,
    file: string,
    diags: DiagnosticBag,
    protected readonly macros: MacroArgs = [],
  ) {
    super(text, file, diags);
  }

  protected callArgs(): Expr[] {
    this.expect('(');
    const args: Expr[] = [];
    if (!this.is(')')) {
      args.push(this.assignment());
      while (this.accept(',')) args.push(this.assignment());
    }
    this.expect(')');
    return args;
  }

  expr(): Expr {
    return this.assignment();
  }

  /** Parses one nesting level deeper, refusing past MAX_NESTING with a located error. */
  private nested(parse: () => Expr): Expr {
    if (this.depth >= MAX_NESTING) this.fail('D2010', this.peek(), [String(MAX_NESTING)]);
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  protected assignment(): Expr {
    return this.nested(() => this.assignmentAt());
  }

  private assignmentAt(): Expr {
    const left = this.ternary();
    const t = this.peek();
    if (t.kind === T.Punct && ASSIGN_OPS.has(t.text)) {
      if (!isLvalue(left)) this.fail('D2005', t, [this.text.slice(left.span.start, left.span.end)]);
      this.take();
      const value = this.assignment();
      return { kind: 'assign', span: this.span(left.span.start), op: t.text, target: left, value };
    }
    return left;
  }

  private ternary(): Expr {
    const cond = this.binary(0);
    if (!this.accept('?')) return cond;
    const then = this.assignment();
    this.expect(':');
    const otherwise = this.nested(() => this.ternary());
    return { kind: 'ternary', span: this.span(cond.span.start), cond, then, else: otherwise };
  }

  private binary(level: number): Expr {
    if (level === BINARY_LEVELS.length) return this.unary();
    const ops = BINARY_LEVELS[level]!;
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== T.Punct || !ops.includes(t.text)) return left;
      if (t.text === '/' && this.inPredicate && this.endsPredicate()) return left;
      this.take();
      const right = this.binary(level + 1);
      left = { kind: 'binary', span: this.span(left.span.start), op: t.text, left, right };
    }
  }

  /** Inside `/…/`, a `/` followed by `{` closes the predicate rather than dividing. */
  private endsPredicate(): boolean {
    const after = this.peek2();
    return after.kind === T.EOF || (after.kind === T.Punct && after.text === '{');
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === T.Punct) {
      if (t.text === '++' || t.text === '--') {
        this.take();
        const target = this.nested(() => this.unary());
        if (!isLvalue(target)) this.fail('D2005', t, [this.text.slice(target.span.start, target.span.end)]);
        return { kind: 'update', span: this.span(t.start), op: t.text, prefix: true, target };
      }
      if (t.text === '!' || t.text === '~' || t.text === '-' || t.text === '+') {
        this.take();
        const operand = this.nested(() => this.unary());
        return { kind: 'unary', span: this.span(t.start), op: t.text, operand };
      }
      if (t.text === '(') {
        const after = this.peek2();
        if (after.kind === T.Ident && CAST_TYPES.has(after.text)) return this.cast();
      }
    }
    return this.postfix(this.primary());
  }

  private cast(): Expr {
    const open = this.take();
    const type = this.take().text;
    while (this.accept('*')) {
      /* pointer casts read as integers */
    }
    this.expect(')');
    const operand = this.nested(() => this.unary());
    return { kind: 'unary', span: this.span(open.start), op: type === 'string' ? 'cast:string' : 'cast:int', operand };
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.kind !== T.Punct) return e;
      if (t.text === '[') {
        this.take();
        const keys: Expr[] = [this.assignment()];
        while (this.accept(',')) keys.push(this.assignment());
        this.expect(']');
        e = { kind: 'index', span: this.span(e.span.start), target: e, keys };
      } else if (t.text === '.' || t.text === '->') {
        this.take();
        const n = this.peek();
        if (n.kind !== T.Ident) this.fail('D2001', n, ['a member name', describeToken(n)]);
        this.take();
        e = { kind: 'member', span: this.span(e.span.start), target: e, name: n.text, nameSpan: this.span(n.start, n.end) };
      } else if (t.text === '++' || t.text === '--') {
        if (!isLvalue(e)) return e;
        this.take();
        e = { kind: 'update', span: this.span(e.span.start), op: t.text, prefix: false, target: e };
      } else return e;
    }
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case T.Int:
        this.take();
        return { kind: 'int', span: this.span(t.start), value: t.value ?? 0 };
      case T.Str: {
        this.take();
        let value = t.text;
        // Adjacent string literals concatenate, as in C.
        while (this.peek().kind === T.Str) value += this.take().text;
        return { kind: 'str', span: this.span(t.start), value };
      }
      case T.Agg:
        this.take();
        return { kind: 'agg', span: this.span(t.start), name: t.text };
      case T.Macro:
        this.take();
        return this.macro(t);
      case T.Ident:
        return this.identifier();
      case T.Punct:
        if (t.text === '(') {
          this.take();
          const e = this.expr();
          this.expect(')');
          return e;
        }
    }
    return this.fail('D2004', t, [describeToken(t)]);
  }

  /** A macro argument becomes the literal it stands for; a missing one is reported and reads as 0. */
  private macro(t: Token): Expr {
    const span = this.span(t.start, t.end);
    if (t.text === TARGET_MACRO) return { kind: 'ident', span, name: TARGET_MACRO };
    const v = macroValue(t.text, this.macros);
    if (v === undefined) {
      this.diags.report('D2009', span, [t.text.replace(/^\$\$/, '$')], /^\$[0-9$#]/.test(t.text) ? MACRO_HINT : MACRO_VAR_HINT);
      return { kind: 'int', span, value: 0 };
    }
    return v.kind === 'int' ? { kind: 'int', span, value: v.value } : { kind: 'str', span, value: v.value };
  }

  private identifier(): Expr {
    const t = this.take();
    if ((t.text === 'self' || t.text === 'this') && this.is('->')) {
      this.take();
      const n = this.peek();
      if (n.kind !== T.Ident) this.fail('D2001', n, ['a variable name', describeToken(n)]);
      this.take();
      return { kind: t.text, span: this.span(t.start), name: n.text };
    }
    if (t.text === 'this') return { kind: 'thisarg', span: this.span(t.start) };
    if (this.is('(')) {
      const args = this.callArgs();
      return { kind: 'call', span: this.span(t.start), name: t.text, nameSpan: this.span(t.start, t.end), args };
    }
    return { kind: 'ident', span: this.span(t.start), name: t.text };
  }
}

function isLvalue(e: Expr): boolean {
  return e.kind === 'ident' || e.kind === 'self' || e.kind === 'this' || (e.kind === 'index' && e.target.kind === 'ident');
}
