import type { Expr } from './ast.js';
import { constantType, DOUBLE, FLOAT, SIZE_T, sizeOf, type CType } from './ctypes.js';
import { Declarations } from './declarations.js';
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
/** Expressions, by precedence climbing over C's operator table, with D's casts and macros. */
export abstract class ExprParser extends TokenStream {
  protected inPredicate = false;
  private depth = 0;

  constructor(
    text: string,
    file: string,
    diags: DiagnosticBag,
    protected readonly macros: MacroArgs = [],
    protected readonly decls: Declarations = new Declarations(),
  ) {
    super(text, file, diags);
  }

  /** Whether `t` begins a type name (a cast's, `sizeof`'s): parse-types.ts knows the typedefs. */
  protected abstract isTypeStart(t: Token): boolean;
  protected abstract typeName(): CType;

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

  /** Inside `/.../`, a `/` followed by `{` closes the predicate rather than dividing. */
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
      if (t.text === '!' || t.text === '~' || t.text === '-' || t.text === '+' || t.text === '*' || t.text === '&') {
        this.take();
        const operand = this.nested(() => this.unary());
        return { kind: 'unary', span: this.span(t.start), op: t.text, operand };
      }
      if (t.text === '(' && this.isTypeStart(this.peek2())) return this.cast();
    }
    if (t.kind === T.Ident && t.text === 'sizeof') return this.sizeof();
    return this.postfix(this.primary());
  }

  private cast(): Expr {
    const open = this.take();
    const to = this.typeName();
    this.expect(')');
    const operand = this.nested(() => this.unary());
    return { kind: 'unary', span: this.span(open.start), op: 'cast', operand, to };
  }

  /** `sizeof (type)` is a constant here; `sizeof expr` waits for the typing pass. */
  private sizeof(): Expr {
    const kw = this.take();
    if (this.is('(') && this.isTypeStart(this.peek2())) {
      this.take();
      const t = this.typeName();
      this.expect(')');
      const span = this.span(kw.start);
      if ((t.kind === 'struct' || t.kind === 'union') && t.members === null) this.diags.report('D4109', span, [t.name]);
      return { kind: 'int', span, value: sizeOf(t, this.decls.strsize), ctype: SIZE_T };
    }
    const operand = this.nested(() => this.unary());
    return { kind: 'sizeof', span: this.span(kw.start), operand };
  }

  /** `offsetof(struct foo, member)`: a constant. */
  private offsetof(start: number): Expr {
    this.expect('(');
    const t = this.typeName();
    this.expect(',');
    const m = this.peek();
    if (m.kind !== T.Ident) this.fail('D2001', m, ['a member name', describeToken(m)]);
    this.take();
    this.expect(')');
    const span = this.span(start);
    const member = t.kind === 'struct' || t.kind === 'union' ? t.members?.find((x) => x.name === m.text) : undefined;
    if (t.kind !== 'struct' && t.kind !== 'union') this.diags.report('D4107', span, ['offsetof', t.name]);
    else if (member === undefined) this.diags.report('D4106', this.span(m.start, m.end), [t.name, m.text]);
    else if (member.bits !== undefined) this.diags.report('D4116', this.span(m.start, m.end), [m.text]);
    return { kind: 'int', span, value: member?.offset ?? 0, ctype: SIZE_T };
  }

  /** `xlate < type > ( expr )`. */
  private xlate(start: number): Expr {
    this.expect('<');
    const to = this.typeName();
    this.expect('>');
    this.expect('(');
    const operand = this.expr();
    this.expect(')');
    return { kind: 'xlate', span: this.span(start), to, operand };
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
        e = {
          kind: 'member',
          span: this.span(e.span.start),
          target: e,
          name: n.text,
          nameSpan: this.span(n.start, n.end),
          arrow: t.text === '->',
        };
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
        return { kind: 'int', span: this.span(t.start), value: t.value ?? 0, ctype: constantType(t.text, BigInt(t.value ?? 0)) };
      case T.Float:
        this.take();
        return { kind: 'float', span: this.span(t.start), value: Number(t.value ?? 0), ctype: /[fF]$/.test(t.text) ? FLOAT : DOUBLE };
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
    if (t.text === 'offsetof' && this.is('(')) return this.offsetof(t.start);
    if (t.text === 'xlate' && this.is('<')) return this.xlate(t.start);
    if (this.is('(')) {
      const args = this.callArgs();
      return { kind: 'call', span: this.span(t.start), name: t.text, nameSpan: this.span(t.start, t.end), args };
    }
    return { kind: 'ident', span: this.span(t.start), name: t.text };
  }
}

/** Names, array elements and members of them; whether a member is assignable waits for its type (check.ts). */
function isLvalue(e: Expr): boolean {
  if (e.kind === 'member') return isLvalue(e.target);
  if (e.kind === 'index' && e.target.kind === 'member') return isLvalue(e.target);
  // `*p` and `p[i]` of a pointer held in any variable: the checker refuses what is not a pointer.
  if (e.kind === 'unary') return e.op === '*';
  if (e.kind === 'index') return isLvalue(e.target);
  return e.kind === 'ident' || e.kind === 'self' || e.kind === 'this';
}
