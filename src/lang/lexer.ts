import type { DiagnosticBag } from './diagnostics.js';
import { MACRO_TOKEN } from './macros.js';

/** Characters a word processor or web page puts for D's quotes and minus, pasted into a program. */
const TYPOGRAPHIC: Readonly<Record<string, string>> = {
  '\u201c': '"',
  '\u201d': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
};

export const enum T {
  EOF,
  Ident,
  Int,
  Str,
  Agg,
  Probe,
  Pragma,
  Punct,
  /** `$1`, `$$1`, `$#`: a macro argument, replaced by its value while parsing. */
  Macro,
  /** `3.14`, `1e9`, `.5`, `2.5f`: a floating-point constant. */
  Float,
}

export interface Token {
  readonly kind: T;
  /** The punctuation or identifier text; the decoded text of strings; the name of `@name`. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Integer literals: their value (a bigint only when it exceeds 2^53); float literals: theirs. */
  readonly value?: number | bigint;
}

const PUNCT = [
  '<<=',
  '>>=',
  '->',
  '++',
  '--',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '^^',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '!',
  '~',
  '<',
  '>',
  '=',
  '?',
  ':',
  ';',
  ',',
  '.',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

/** A decimal floating-point constant: a `.` or an exponent makes it one; `f`/`l` suffixes as in C. */
const FLOAT_LITERAL = /(?:[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)[fFlL]?/y;

/**
 * Characters of a probe description outside quotes (globs, `-`, `.`, `/` excluded), and what a
 * JavaScript name may hold past ASCII: `fn::café:entry` names the function `café`.
 */
const PROBE_CHAR = /[A-Za-z0-9_$.*?[\]!\\:\-+@#\p{ID_Continue}]/u;
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  '"': '"',
  "'": "'",
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/**
 * An on-demand lexer: the parser asks for a probe description where a clause may start and
 * for an ordinary token elsewhere, since `syscall::read:entry` and `a ? b : c` overlap.
 */
export class Lexer {
  pos = 0;

  constructor(
    readonly text: string,
    readonly file: string,
    private readonly diags: DiagnosticBag,
  ) {}

  /** The parser re-lexes a token when it switches modes; each problem is reported once. */
  private readonly reported = new Set<string>();

  private err(
    code: Parameters<DiagnosticBag['report']>[0],
    start: number,
    end: number,
    args: string[] = [],
    options?: Parameters<DiagnosticBag['report']>[3],
  ): void {
    const id = `${code}@${start}`;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.diags.report(code, { file: this.file, start, end }, args, options);
  }

  /** Skips whitespace, comments and `#!` lines; returns a pragma token when one starts a line. */
  private skipTrivia(): Token | null {
    const s = this.text;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') this.pos++;
      else if (c === '/' && s[this.pos + 1] === '/') this.skipLine();
      else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) {
          this.err('D1002', this.pos, this.pos + 2);
          this.pos = s.length;
        } else this.pos = end + 2;
      } else if (c === '#' && this.atLineStart()) {
        const start = this.pos;
        if (s.startsWith('#pragma', this.pos)) {
          this.skipLine();
          return { kind: T.Pragma, text: s.slice(start, this.pos).trim(), start, end: this.pos };
        }
        this.skipLine();
      } else break;
    }
    return null;
  }

  private atLineStart(): boolean {
    for (let i = this.pos - 1; i >= 0; i--) {
      const c = this.text[i];
      if (c === '\n') return true;
      if (c !== ' ' && c !== '\t') return false;
    }
    return true;
  }

  private skipLine(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl;
  }

  /** Reads a probe description (with `"quoted"` fields), or returns an ordinary token if none starts here. */
  nextProbe(): Token {
    const pragma = this.skipTrivia();
    if (pragma !== null) return pragma;
    const s = this.text;
    const start = this.pos;
    while (this.pos < s.length) {
      // A whole code point: a name may hold characters past the 16-bit range.
      const c = String.fromCodePoint(s.codePointAt(this.pos)!);
      if (c === '"') {
        const end = s.indexOf('"', this.pos + 1);
        const nl = s.indexOf('\n', this.pos + 1);
        if (end < 0 || (nl >= 0 && nl < end)) break;
        this.pos = end + 1;
      } else if (PROBE_CHAR.test(c)) this.pos += c.length;
      else if (c === '/' && this.slashInModule(start)) this.pos++;
      else break;
    }
    if (this.pos === start) return this.next();
    return { kind: T.Probe, text: s.slice(start, this.pos), start, end: this.pos };
  }

  /**
   * `fn:lib/math.js:add:entry`, `fn:lib/*::entry`: a `/` before the third `:` followed by a
   * name or a glob is part of a path (so `lib/*` does not open a comment).
   */
  private slashInModule(start: number): boolean {
    const sofar = this.text.slice(start, this.pos);
    const colons = sofar.split(':').length - 1;
    return colons >= 1 && colons <= 2 && /[A-Za-z0-9_.*?[]/.test(this.text[this.pos + 1] ?? '');
  }

  next(): Token {
    const pragma = this.skipTrivia();
    if (pragma !== null) return pragma;
    const s = this.text;
    const start = this.pos;
    if (start >= s.length) return { kind: T.EOF, text: '', start, end: start };
    const c = s[start]!;
    if (/[A-Za-z_]/.test(c)) {
      while (this.pos < s.length && /[A-Za-z0-9_]/.test(s[this.pos]!)) this.pos++;
      return { kind: T.Ident, text: s.slice(start, this.pos), start, end: this.pos };
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[start + 1] ?? ''))) {
      FLOAT_LITERAL.lastIndex = start;
      const f = FLOAT_LITERAL.exec(s);
      if (f !== null) return this.float(start, f[0]);
      return this.number(start);
    }
    if (c === '"') return this.string(start);
    if (c === "'") return this.char(start);
    if (c === '@') {
      this.pos++;
      while (this.pos < s.length && /[A-Za-z0-9_]/.test(s[this.pos]!)) this.pos++;
      return { kind: T.Agg, text: s.slice(start + 1, this.pos), start, end: this.pos };
    }
    if (c === '$') {
      MACRO_TOKEN.lastIndex = start;
      const m = MACRO_TOKEN.exec(s);
      if (m !== null) {
        this.pos += m[0].length;
        return { kind: T.Macro, text: m[0], start, end: this.pos };
      }
    }
    for (const p of PUNCT) {
      if (s.startsWith(p, start)) {
        this.pos += p.length;
        return { kind: T.Punct, text: p, start, end: this.pos };
      }
    }
    const cp = s.codePointAt(start)!;
    this.pos += cp > 0xffff ? 2 : 1;
    this.unexpected(start, cp);
    return this.next();
  }

  /** D1003, showing a character that is not plain ASCII by its code point, and what an editor's substitute stood for. */
  private unexpected(start: number, cp: number): void {
    const ch = String.fromCodePoint(cp);
    const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    // An invisible one (a zero-width or non-breaking space) would show as nothing between quotes.
    const shown = cp >= 0x21 && cp <= 0x7e ? `\`${ch}\`` : /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? `\`${ch}\` (${code})` : code;
    const meant = TYPOGRAPHIC[ch];
    this.err('D1003', start, this.pos, [shown], meant === undefined ? undefined : { suffix: `; did you mean \`${meant}\`?` });
  }

  private number(start: number): Token {
    const s = this.text;
    while (this.pos < s.length && /[0-9A-Za-z_]/.test(s[this.pos]!)) this.pos++;
    const raw = s.slice(start, this.pos);
    const digits = raw.replace(/[uUlL]+$/, '');
    let value: bigint | null = null;
    if (/^0[xX][0-9a-fA-F]+$/.test(digits) || /^[1-9][0-9]*$/.test(digits) || digits === '0') value = BigInt(digits);
    else if (/^0[0-7]+$/.test(digits)) value = BigInt('0o' + digits.slice(1));
    if (value === null || value >= 1n << 64n) {
      this.err('D1004', start, this.pos, [raw]);
      return { kind: T.Int, text: raw, start, end: this.pos, value: 0 };
    }
    const v = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
    return { kind: T.Int, text: raw, start, end: this.pos, value: v };
  }

  private float(start: number, text: string): Token {
    this.pos = start + text.length;
    if (this.pos < this.text.length && /[A-Za-z0-9_]/.test(this.text[this.pos]!)) {
      while (this.pos < this.text.length && /[A-Za-z0-9_]/.test(this.text[this.pos]!)) this.pos++;
      this.err('D1101', start, this.pos, [this.text.slice(start, this.pos)]);
      return { kind: T.Float, text: this.text.slice(start, this.pos), start, end: this.pos, value: 0 };
    }
    return { kind: T.Float, text, start, end: this.pos, value: Number(text.replace(/[fFlL]$/, '')) };
  }

  private escape(): string {
    const s = this.text;
    const e = s[this.pos + 1];
    if (e === undefined) {
      this.pos++;
      return '';
    }
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(this.pos + 2, this.pos + 4))) {
      this.pos += 4;
      return String.fromCharCode(parseInt(s.slice(this.pos - 2, this.pos), 16));
    }
    const m = ESCAPES[e];
    if (m === undefined) this.err('D1005', this.pos, this.pos + 2, [e]);
    this.pos += 2;
    return m ?? e;
  }

  private string(start: number): Token {
    const s = this.text;
    this.pos++;
    let out = '';
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '"') {
        this.pos++;
        return { kind: T.Str, text: out, start, end: this.pos };
      }
      if (c === '\n') break;
      if (c === '\\') out += this.escape();
      else {
        out += c;
        this.pos++;
      }
    }
    this.err('D1001', start, this.pos);
    return { kind: T.Str, text: out, start, end: this.pos };
  }

  private char(start: number): Token {
    const s = this.text;
    this.pos++;
    let ch = '';
    if (s[this.pos] === '\\') ch = this.escape();
    else if (this.pos < s.length) ch = s[this.pos++]!;
    if (s[this.pos] !== "'" || ch.length !== 1) {
      this.err('D1006', start, this.pos);
      while (this.pos < s.length && s[this.pos] !== "'" && s[this.pos] !== '\n') this.pos++;
      if (s[this.pos] === "'") this.pos++;
      return { kind: T.Int, text: "''", start, end: this.pos, value: 0 };
    }
    this.pos++;
    return { kind: T.Int, text: s.slice(start, this.pos), start, end: this.pos, value: ch.charCodeAt(0) };
  }
}

export function describeToken(t: Token): string {
  switch (t.kind) {
    case T.EOF:
      return 'end of input';
    case T.Str:
      return 'a string';
    case T.Int:
    case T.Float:
      return `\`${t.text}\``;
    case T.Agg:
      return `\`@${t.text}\``;
    case T.Pragma:
      return '`#pragma`';
    default:
      return `\`${t.text}\``;
  }
}
