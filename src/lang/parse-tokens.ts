import type { Span } from './ast.js';
import type { DiagnosticBag, MessageCode } from './diagnostics.js';
import { describeToken, Lexer, T, type Token } from './lexer.js';

/** Thrown once a syntax error is reported; the parser catches it where it can resynchronise. */
export class ParseError extends Error {}

/**
 * The parser's view of the on-demand lexer: one token of lookahead (two with `peek2`), a
 * switch to probe-description mode where a clause may start, spans, and error reporting.
 */
export class TokenStream {
  protected readonly lex: Lexer;
  protected tok: Token | null = null;
  protected lastEnd = 0;

  constructor(
    protected readonly text: string,
    protected readonly file: string,
    protected readonly diags: DiagnosticBag,
  ) {
    this.lex = new Lexer(text, file, diags);
  }

  protected span(start: number, end = this.lastEnd): Span {
    return { file: this.file, start, end };
  }

  protected peek(): Token {
    if (this.tok === null) this.tok = this.lex.next();
    return this.tok;
  }

  /** Re-lexes the upcoming token as a probe description. */
  protected peekProbe(): Token {
    if (this.tok !== null && this.tok.kind !== T.Probe) this.lex.pos = this.tok.start;
    if (this.tok === null || this.tok.kind !== T.Probe) this.tok = this.lex.nextProbe();
    return this.tok;
  }

  /** The token after the current one, without consuming either. */
  protected peek2(): Token {
    this.peek();
    const save = this.lex.pos;
    const t = this.lex.next();
    this.lex.pos = save;
    return t;
  }

  protected take(): Token {
    const t = this.peek();
    this.tok = null;
    this.lastEnd = t.end;
    return t;
  }

  protected is(text: string): boolean {
    const t = this.peek();
    return t.kind === T.Punct && t.text === text;
  }

  protected accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.take();
    return true;
  }

  protected fail(code: MessageCode, t: Token, args: string[]): never {
    this.diags.report(code, { file: this.file, start: t.start, end: Math.max(t.end, t.start + 1) }, args);
    throw new ParseError();
  }

  protected expect(text: string): Token {
    const t = this.peek();
    if (t.kind !== T.Punct || t.text !== text) this.fail('D2001', t, [`\`${text}\``, describeToken(t)]);
    return this.take();
  }
}
