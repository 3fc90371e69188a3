import { ProbeDescription } from '../core/index.js';
import type { Clause, Expr, Pragma, ProbeSpec, Program, SpecialProbe, Span, Stmt } from './ast.js';
import { DiagnosticBag, type MessageCode } from './diagnostics.js';
import { describeToken, Lexer, T, type Token } from './lexer.js';
import { expandDescription, macroValue, type MacroArgs } from './macros.js';

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
const TICK_UNITS: Record<string, number> = {
  ns: 1,
  nsec: 1,
  us: 1e3,
  usec: 1e3,
  ms: 1e6,
  msec: 1e6,
  s: 1e9,
  sec: 1e9,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
  hour: 3600e9,
  d: 86400e9,
  day: 86400e9,
};

const MACRO_HINT = { hint: 'macro arguments are given after the script: mscope run -s FILE --arg VALUE…' };

class SyntaxError extends Error {}

/**
 * Recursive descent over the on-demand lexer. A syntax error is reported, then the parser
 * skips to the next `;` or `}` (inside a clause) or past the clause (outside one) and goes
 * on, so one run reports several errors.
 */
export class Parser {
  private readonly lex: Lexer;
  private tok: Token | null = null;
  private inPredicate = false;
  private clauseIndex = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly diags: DiagnosticBag,
    firstClauseIndex = 0,
    private readonly macros: MacroArgs = [],
  ) {
    this.lex = new Lexer(text, file, diags);
    this.clauseIndex = firstClauseIndex;
  }

  parseProgram(): Program {
    const clauses: Clause[] = [];
    const pragmas: Pragma[] = [];
    for (;;) {
      const t = this.peekProbe();
      if (t.kind === T.EOF) break;
      if (t.kind === T.Pragma) {
        this.take();
        const p = this.pragma(t);
        if (p !== null) pragmas.push(p);
        continue;
      }
      try {
        clauses.push(this.clause());
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        this.recoverClause();
      }
    }
    return { clauses, pragmas };
  }

  private span(start: number, end = this.lastEnd): Span {
    return { file: this.file, start, end };
  }
  private lastEnd = 0;

  private peek(): Token {
    if (this.tok === null) this.tok = this.lex.next();
    return this.tok;
  }

  /** Re-lexes the upcoming token as a probe description. */
  private peekProbe(): Token {
    if (this.tok !== null && this.tok.kind !== T.Probe) this.lex.pos = this.tok.start;
    if (this.tok === null || this.tok.kind !== T.Probe) this.tok = this.lex.nextProbe();
    return this.tok;
  }

  /** The token after the current one, without consuming either. */
  private peek2(): Token {
    this.peek();
    const save = this.lex.pos;
    const t = this.lex.next();
    this.lex.pos = save;
    return t;
  }

  private take(): Token {
    const t = this.peek();
    this.tok = null;
    this.lastEnd = t.end;
    return t;
  }

  private is(text: string): boolean {
    const t = this.peek();
    return t.kind === T.Punct && t.text === text;
  }

  private accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.take();
    return true;
  }

  private fail(code: MessageCode, t: Token, args: string[]): never {
    this.diags.report(code, { file: this.file, start: t.start, end: Math.max(t.end, t.start + 1) }, args);
    throw new SyntaxError();
  }

  private expect(text: string): Token {
    const t = this.peek();
    if (t.kind !== T.Punct || t.text !== text) this.fail('D2001', t, [`\`${text}\``, describeToken(t)]);
    return this.take();
  }

  private recoverClause(): void {
    let depth = 0;
    for (;;) {
      const t = this.take();
      if (t.kind === T.EOF) return;
      if (t.kind !== T.Punct) continue;
      if (t.text === '{') depth++;
      else if (t.text === '}' && --depth <= 0) return;
    }
  }

  private pragma(t: Token): Pragma | null {
    const m = /^#pragma\s+D\s+option\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s*=\s*(\S+))?\s*$/.exec(t.text);
    if (m === null) {
      // Bindings are read by bindings.ts, which needs their place among the clauses.
      if (/^#pragma\s+(D\s+)?(attributes|binding|depends_on)\b/.test(t.text)) return null;
      this.diags.report('D1007', { file: this.file, start: t.start, end: t.end }, [t.text]);
      return null;
    }
    return { option: m[1]!, value: m[2] ?? '', span: this.span(t.start, t.end) };
  }

  private clause(): Clause {
    const start = this.peekProbe().start;
    const probes: ProbeSpec[] = [this.probeSpec()];
    if (this.is('(')) this.fail('D2007', this.peek(), []);
    while (this.accept(',')) probes.push(this.probeSpec());
    let predicate: Expr | null = null;
    if (this.is('/')) {
      this.take();
      this.inPredicate = true;
      try {
        predicate = this.expr();
      } finally {
        this.inPredicate = false;
      }
      this.expect('/');
    }
    // As `dtrace -n 'syscall::read:entry'` does, descriptions (and a predicate) that end the
    // program without an action block get the default action.
    if (this.peek().kind === T.EOF) {
      return { index: this.clauseIndex++, probes, predicate, body: [], defaultAction: true, span: this.span(start) };
    }
    const body = this.block();
    return { index: this.clauseIndex++, probes, predicate, body, defaultAction: false, span: this.span(start) };
  }

  private probeSpec(): ProbeSpec {
    const t = this.peekProbe();
    if (t.kind !== T.Probe) this.fail('D2002', t, [describeToken(t)]);
    this.take();
    const span = this.span(t.start, t.end);
    const text = expandDescription(t.text, this.macros, (offset, token) =>
      this.diags.report('D2009', this.span(t.start + offset, t.start + offset + token.length), [token.replace(/^\$\$/, '$')], MACRO_HINT),
    );
    const special = specialProbe(text);
    if (special === 'bad') {
      this.diags.report('D2008', span, [text]);
      return { text, span, description: null, special: null };
    }
    if (special !== null) return { text, span, description: null, special };
    try {
      return { text, span, description: ProbeDescription.parse(text), special: null };
    } catch (e) {
      this.diags.report('D2003', span, [text, e instanceof Error ? e.message.replace(/^probe description "[^"]*"\s*/, '') : String(e)]);
      return { text, span, description: null, special: null };
    }
  }

  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    while (!this.is('}')) {
      if (this.peek().kind === T.EOF) this.expect('}');
      if (this.accept(';')) continue;
      try {
        body.push(this.statement());
        if (!this.is('}')) this.expect(';');
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        if (this.recoverStatement()) return body;
      }
    }
    this.take();
    return body;
  }

  /** A name at the start of a line after an error most likely begins the next clause. */
  private startsLine(t: Token): boolean {
    if (t.kind !== T.Ident && t.kind !== T.Probe) return false;
    const before = this.text.lastIndexOf('\n', t.start - 1);
    return t.start > 0 && before === t.start - 1;
  }

  /** Skips the rest of a bad statement; true when the clause seems to have ended unclosed. */
  private recoverStatement(): boolean {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === T.EOF) return true;
      if (depth === 0 && this.startsLine(t)) return true;
      if (t.kind === T.Punct) {
        if (t.text === '(' || t.text === '[') depth++;
        else if ((t.text === ')' || t.text === ']') && depth > 0) depth--;
        else if (t.text === ';' && depth === 0) return (void this.take(), false);
        else if (t.text === '}') return false;
        else if (t.text === '{') return (this.recoverClause(), false);
      }
      this.take();
    }
  }

  private statement(): Stmt {
    const t = this.peek();
    if (t.kind === T.Ident && (t.text === 'for' || t.text === 'while' || t.text === 'do')) this.fail('D2006', t, []);
    if (t.kind === T.Agg) {
      const after = this.peek2();
      if (after.kind === T.Punct && (after.text === '=' || after.text === '[')) return this.aggregation();
    }
    const expr = this.expr();
    return { kind: 'expr', span: expr.span, expr };
  }

  private aggregation(): Stmt {
    const nameTok = this.take();
    const keys: Expr[] = [];
    if (this.accept('[')) {
      if (!this.is(']')) {
        keys.push(this.assignment());
        while (this.accept(',')) keys.push(this.assignment());
      }
      this.expect(']');
    }
    this.expect('=');
    const f = this.peek();
    if (f.kind !== T.Ident) this.fail('D2001', f, ['an aggregating function such as `count()`', describeToken(f)]);
    this.take();
    const args = this.callArgs();
    return {
      kind: 'aggregate',
      span: this.span(nameTok.start),
      name: nameTok.text,
      nameSpan: this.span(nameTok.start, nameTok.end),
      keys,
      func: f.text,
      funcSpan: this.span(f.start, f.end),
      args,
    };
  }

  private callArgs(): Expr[] {
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

  private assignment(): Expr {
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
    const otherwise = this.ternary();
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
        const target = this.unary();
        if (!isLvalue(target)) this.fail('D2005', t, [this.text.slice(target.span.start, target.span.end)]);
        return { kind: 'update', span: this.span(t.start), op: t.text, prefix: true, target };
      }
      if (t.text === '!' || t.text === '~' || t.text === '-' || t.text === '+') {
        this.take();
        const operand = this.unary();
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
    const operand = this.unary();
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
        e = { kind: 'member', span: this.span(e.span.start), target: e, name: n.text };
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
    const v = macroValue(t.text, this.macros);
    if (v === undefined) {
      this.diags.report('D2009', span, [t.text.replace(/^\$\$/, '$')], MACRO_HINT);
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

/** BEGIN, END, ERROR and tick-N (also `profile:::tick-N`); 'bad' for a malformed tick. */
export function specialProbe(text: string): SpecialProbe | 'bad' | null {
  const bare = text.replace(/^(dtrace|profile)?:::/, '');
  if (bare === 'BEGIN' || bare === 'END' || bare === 'ERROR') return { kind: bare };
  if (!bare.startsWith('tick-')) return null;
  const m = /^tick-([0-9]+)([a-z]*)$/.exec(bare);
  if (m === null) return 'bad';
  const n = Number(m[1]);
  const unit = m[2]!;
  if (n <= 0) return 'bad';
  if (unit === '' || unit === 'hz') return { kind: 'tick', periodNs: Math.round(1e9 / n) };
  const scale = TICK_UNITS[unit];
  return scale === undefined ? 'bad' : { kind: 'tick', periodNs: n * scale };
}

export function parse(file: string, text: string, diags: DiagnosticBag, firstClauseIndex = 0, macros: MacroArgs = []): Program {
  return new Parser(text, file, diags, firstClauseIndex, macros).parseProgram();
}
