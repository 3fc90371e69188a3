import type { Clause, Expr, Pragma, ProbeSpec, Program, Stmt } from './ast.js';
import type { DiagnosticBag } from './diagnostics.js';
import { describeToken, T, type Token } from './lexer.js';
import { setDefaultArgs, type MacroArgs } from './macros.js';
import type { CType } from './ctypes.js';
import { Declarations, type VarDecl } from './declarations.js';
import { TypeParser } from './parse-types.js';
import { probeSpec } from './parse-probes.js';
import { ParseError } from './parse-tokens.js';

/**
 * Recursive descent over the on-demand lexer: programs, clauses and statements here,
 * expressions in parse-expr.ts, probe descriptions in parse-probes.ts. A syntax error is
 * reported, then the parser skips to the next `;` or `}` (inside a clause) or past the
 * clause (outside one) and goes on, so one run reports several errors.
 */
export class Parser extends TypeParser {
  private clauseIndex = 0;

  constructor(text: string, file: string, diags: DiagnosticBag, firstClauseIndex = 0, macros: MacroArgs = [], decls = new Declarations()) {
    super(text, file, diags, macros, decls);
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
      if (this.startsDeclaration(t)) {
        try {
          this.declaration();
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          this.recoverDeclaration();
        }
        continue;
      }
      try {
        clauses.push(this.clause());
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.recoverClause();
      }
    }
    return { clauses, pragmas, decls: this.decls };
  }

  /**
   * A probe description never starts with a type or a declaration keyword, so `int x;`,
   * `self string s;` and `struct foo { ... };` are read as declarations (in ordinary tokens).
   */
  private startsDeclaration(t: Token): boolean {
    if (t.kind !== T.Probe || t.text.includes(':')) return false;
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.text)?.[0];
    if (word === undefined || word === 'BEGIN' || word === 'END' || word === 'ERROR') return false;
    const typeWord = (w: string): boolean => DECL_WORDS.has(w) || this.isTypeStart({ ...t, kind: T.Ident, text: w });
    if (word === 'self' || word === 'this') {
      const next = /^\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(this.text.slice(t.start + word.length))?.[1];
      if (next === undefined || !typeWord(next)) return false;
    } else if (!typeWord(word)) return false;
    this.lex.pos = t.start;
    this.tok = null;
    return true;
  }

  private declaration(): void {
    const t = this.peek();
    if (t.kind === T.Ident && t.text === 'typedef') {
      this.take();
      const base = this.specifiers();
      do {
        const d = this.declarator(base);
        if (this.decls.typedefs.has(d.name) || this.decls.vars.has(d.name)) this.diags.report('D4101', d.span, [d.name]);
        else this.decls.typedefs.set(d.name, d.type);
      } while (this.accept(','));
      this.expect(';');
      return;
    }
    if (t.kind === T.Ident && t.text === 'inline') return this.inline();
    if (t.kind === T.Ident && t.text === 'translator') return this.translator();
    let scope: VarDecl['scope'] = 'global';
    if (t.kind === T.Ident && (t.text === 'self' || t.text === 'this' || t.text === 'static' || t.text === 'extern')) {
      this.take();
      if (t.text === 'extern') this.diags.report('D4113', this.span(t.start, t.end), []);
      if (t.text === 'self' || t.text === 'this') scope = t.text;
    }
    const base = this.specifiers();
    if (this.accept(';')) return;
    do {
      const d = this.declarator(base);
      if (this.is('=')) this.fail('D4110', this.peek(), [d.name]);
      this.declareVar({ name: d.name, scope, type: d.type, span: d.span, ...(d.keys === undefined ? {} : { keys: d.keys }) });
    } while (this.accept(','));
    this.expect(';');
  }

  private declareVar(v: VarDecl): void {
    const key = Declarations.key(v.scope, v.name);
    if (this.decls.vars.has(key) || (v.scope === 'global' && (this.decls.inlines.has(v.name) || this.decls.enumerators.has(v.name)))) {
      this.diags.report('D4101', v.span, [key]);
      return;
    }
    if (v.type.kind === 'void') this.diags.report('D4117', v.span, [key, 'void']);
    else if ((v.type.kind === 'struct' || v.type.kind === 'union') && v.type.members === null)
      this.diags.report('D4109', v.span, [v.type.name]);
    // As DTrace refuses a clause-local associative array (D_DECL_LOCASSC); a thread-local one is fine.
    else if (v.keys !== undefined && v.scope === 'this') this.diags.report('D4117', v.span, [key, 'an associative array']);
    this.decls.vars.set(key, v);
  }

  /** `inline TYPE NAME = EXPR;` */
  private inline(): void {
    this.take();
    const base = this.specifiers();
    const d = this.declarator(base);
    this.expect('=');
    const expr = this.expr();
    this.expect(';');
    if (this.decls.inlines.has(d.name) || this.decls.vars.has(d.name) || this.decls.enumerators.has(d.name)) {
      this.diags.report('D4101', d.span, [d.name]);
      return;
    }
    this.decls.inlines.set(d.name, { name: d.name, type: d.type, expr, span: d.span });
  }

  /** `translator OUT < IN *name > { member = expr; ... };` */
  private translator(): void {
    const kw = this.take();
    const to = this.typeName();
    this.expect('<');
    const from: CType = this.typeName();
    const p = this.peek();
    if (p.kind !== T.Ident) this.fail('D2001', p, ['a parameter name', describeToken(p)]);
    this.take();
    this.expect('>');
    this.expect('{');
    const members = new Map<string, Expr>();
    while (!this.is('}')) {
      const m = this.peek();
      if (m.kind !== T.Ident) this.fail('D2001', m, ['a member name', describeToken(m)]);
      this.take();
      this.expect('=');
      const value = this.expr();
      this.expect(';');
      if (members.has(m.text)) this.diags.report('D4101', this.span(m.start, m.end), [m.text]);
      members.set(m.text, value);
    }
    this.take();
    this.expect(';');
    const span = this.span(kw.start);
    if (this.decls.translator(to, from) !== undefined) this.diags.report('D4101', span, [`translator ${to.name} < ${from.name} >`]);
    this.decls.translators.push({ to, from, param: p.text, members, span });
  }

  private recoverClause(): void {
    this.skipPast('}');
  }

  private recoverDeclaration(): void {
    this.skipPast(';');
  }

  /** Skips tokens past the `}` that closes the first block, or past a `;` outside any block. */
  private skipPast(stop: ';' | '}'): void {
    let depth = 0;
    for (;;) {
      const t = this.take();
      if (t.kind === T.EOF) return;
      if (t.kind !== T.Punct) continue;
      if (t.text === '{') depth++;
      else if (t.text === '}') {
        if (--depth <= 0 && stop === '}') return;
      } else if (t.text === ';' && stop === ';' && depth <= 0) return;
    }
  }

  private pragma(t: Token): Pragma | null {
    const span = this.span(t.start, t.end);
    const option = /^#pragma\s+D\s+option\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s*=\s*(\S+))?\s*$/.exec(t.text);
    if (option !== null) {
      if (option[1] === 'defaultargs') setDefaultArgs(this.macros);
      return { kind: 'option', option: option[1]!, value: option[2] ?? '', span };
    }
    const binding = /^#pragma\s+(?:D\s+)?binding\s+(\S+)\s*$/.exec(t.text);
    if (binding !== null) {
      const at = t.start + binding[0].lastIndexOf(binding[1]!);
      return { kind: 'binding', name: binding[1]!, nameSpan: this.span(at, at + binding[1]!.length), span };
    }
    if (/^#pragma\s+(D\s+)?(attributes|depends_on)\b/.test(t.text)) return null;
    this.diags.report('D1007', span, [t.text]);
    return null;
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
    return probeSpec(t, this.file, this.macros, this.diags);
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
        if (!(e instanceof ParseError)) throw e;
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
    if (t.kind === T.Ident && (DECL_WORDS.has(t.text) || this.isTypeStart(t))) {
      const after = this.peek2();
      if (after.kind === T.Ident || (after.kind === T.Punct && after.text === '*') || DECL_WORDS.has(t.text)) this.fail('D2101', t, []);
    }
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
}

const DECL_WORDS = new Set(['typedef', 'inline', 'translator', 'struct', 'union', 'enum', 'static', 'extern']);

export function parse(
  file: string,
  text: string,
  diags: DiagnosticBag,
  firstClauseIndex = 0,
  macros: MacroArgs = [],
  decls = new Declarations(),
): Program {
  return new Parser(text, file, diags, firstClauseIndex, macros, decls).parseProgram();
}
