import type { Span } from './ast.js';
import {
  alignOf,
  arrayOf,
  baseTypeName,
  BUILTIN_TYPES,
  pointerTo,
  sizeOf,
  TYPE_WORDS,
  type CType,
  type EnumType,
  type Member,
  type StructType,
} from './ctypes.js';
import { constEval } from './declarations.js';
import { describeToken, T, type Token } from './lexer.js';
import { ExprParser } from './parse-expr.js';

const QUALIFIERS = new Set(['const', 'volatile', 'restrict']);

/** A declarator: the name, its type, and an associative array's key types (`int a[string]`). */
export interface Declarator {
  readonly name: string;
  readonly span: Span;
  readonly type: CType;
  readonly keys?: CType[];
}

/**
 * Type names as C writes them: specifiers (`unsigned long`, a typedef name, `struct foo { … }`,
 * `enum e { … }`), then `*`s and `[N]` suffixes. Struct, union and enum bodies declare their
 * tags and enumerators in the program's declarations as they are read.
 */
export abstract class TypeParser extends ExprParser {
  protected isTypeStart(t: Token): boolean {
    if (t.kind !== T.Ident) return false;
    const w = t.text;
    return TYPE_WORDS.has(w) || QUALIFIERS.has(w) || w === 'struct' || w === 'union' || w === 'enum' || this.decls.isTypeName(w);
  }

  /** A type as a cast, `sizeof` or `offsetof` names it: specifiers and an abstract declarator. */
  protected typeName(): CType {
    let t = this.specifiers();
    while (this.accept('*')) t = pointerTo(t);
    while (this.is('[')) {
      this.take();
      const n = this.arrayLength();
      this.expect(']');
      t = arrayOf(t, n);
    }
    return t;
  }

  protected specifiers(): CType {
    const words: string[] = [];
    let first: Token | null = null;
    for (;;) {
      const t = this.peek();
      if (t.kind !== T.Ident) break;
      if (QUALIFIERS.has(t.text)) {
        this.take();
        continue;
      }
      if (t.text === 'struct' || t.text === 'union') {
        if (words.length > 0) break;
        this.take();
        return this.structSpec(t.text);
      }
      if (t.text === 'enum') {
        if (words.length > 0) break;
        this.take();
        return this.enumSpec();
      }
      if (TYPE_WORDS.has(t.text)) {
        first ??= t;
        words.push(this.take().text);
        continue;
      }
      if (words.length === 0 && this.decls.isTypeName(t.text)) {
        this.take();
        return this.decls.typeNamed(t.text)!;
      }
      break;
    }
    if (first === null) return this.fail('D2001', this.peek(), ['a type', describeToken(this.peek())]);
    const name = baseTypeName(words);
    if (name === null) this.fail('D4114', first, [words.join(' ')]);
    return BUILTIN_TYPES.get(name)!;
  }

  /** `[N]`'s N: a positive integer constant. */
  private arrayLength(): number {
    const e = this.expr();
    const v = constEval(e, this.decls);
    if (v === null || v <= 0n || v > 1n << 24n) {
      this.diags.report('D4103', e.span, []);
      return 1;
    }
    return Number(v);
  }

  /** `* name [N] [string, int]`: one declarator of a declaration, given its specifiers' type. */
  protected declarator(base: CType): Declarator {
    let t = base;
    while (this.accept('*')) t = pointerTo(t);
    const n = this.peek();
    if (n.kind !== T.Ident) this.fail('D2001', n, ['a name', describeToken(n)]);
    this.take();
    const span = this.span(n.start, n.end);
    if (this.is('[')) {
      this.take();
      if (this.isTypeStart(this.peek())) {
        const keys = [this.typeName()];
        while (this.accept(',')) keys.push(this.typeName());
        this.expect(']');
        return { name: n.text, span, type: t, keys };
      }
      const dims = [this.arrayLength()];
      this.expect(']');
      while (this.accept('[')) {
        dims.push(this.arrayLength());
        this.expect(']');
      }
      for (let i = dims.length - 1; i >= 0; i--) t = arrayOf(t, dims[i]!);
    }
    return { name: n.text, span, type: t };
  }

  private structSpec(kind: 'struct' | 'union'): CType {
    const n = this.peek();
    let tag: string | null = null;
    if (n.kind === T.Ident) {
      tag = this.take().text;
    }
    const key = `${kind} ${tag ?? '<anon>'}`;
    let s = tag === null ? undefined : (this.decls.tags.get(key) as StructType | undefined);
    if (s === undefined) {
      s = { kind, name: key, members: null, size: 0, align: 1 };
      if (tag !== null) this.decls.tags.set(key, s);
    }
    if (!this.is('{')) {
      if (tag === null) this.fail('D2001', this.peek(), ['a tag or `{`', describeToken(this.peek())]);
      return s;
    }
    const open = this.take();
    if (s.members !== null) this.diags.report('D4101', this.span(n.start, n.end), [key]);
    const members: Member[] = [];
    let offset = 0;
    let align = 1;
    let bitUnit = -1;
    let bitUsed = 0;
    let bitSize = 0;
    while (!this.is('}')) {
      if (this.peek().kind === T.EOF) this.expect('}');
      const base = this.specifiers();
      for (;;) {
        const d = this.declarator(base);
        if (members.some((m) => m.name === d.name)) this.diags.report('D4101', d.span, [`${key}.${d.name}`]);
        if (d.type.kind === 'struct' || d.type.kind === 'union') {
          if (d.type.members === null) this.diags.report('D4109', d.span, [d.type.name]);
        }
        if (this.accept(':')) {
          const w = this.expr();
          const bits = constEval(w, this.decls);
          const max = sizeOf(d.type, this.decls.strsize) * 8;
          if (d.type.kind !== 'int' || bits === null || bits <= 0n || bits > BigInt(max)) {
            this.diags.report('D4108', w.span, [d.name, max]);
          }
          const nbits = Number(bits ?? 1n);
          const unit = sizeOf(d.type, this.decls.strsize);
          // Bits pack into the current storage unit while they fit, as C compilers lay them out.
          if (kind === 'union') {
            members.push({ name: d.name, type: d.type, offset: 0, bits: nbits, bitOffset: 0 });
            offset = Math.max(offset, unit);
          } else {
            if (bitUnit < 0 || bitSize !== unit || bitUsed + nbits > unit * 8) {
              offset = alignUp(offset, unit);
              bitUnit = offset;
              bitSize = unit;
              bitUsed = 0;
              offset += unit;
            }
            members.push({ name: d.name, type: d.type, offset: bitUnit, bits: nbits, bitOffset: bitUsed });
            bitUsed += nbits;
          }
          align = Math.max(align, unit);
        } else {
          bitUnit = -1;
          const a = alignOf(d.type);
          align = Math.max(align, a);
          if (kind === 'union') {
            members.push({ name: d.name, type: d.type, offset: 0 });
            offset = Math.max(offset, sizeOf(d.type, this.decls.strsize));
          } else {
            offset = alignUp(offset, a);
            members.push({ name: d.name, type: d.type, offset });
            offset += sizeOf(d.type, this.decls.strsize);
          }
        }
        if (!this.accept(',')) break;
      }
      this.expect(';');
    }
    this.take();
    if (members.length === 0) this.diags.report('D2001', this.span(open.start, open.end), ['at least one member', '`}`']);
    s.members = members;
    s.align = align;
    s.size = alignUp(offset, align);
    return s;
  }

  private enumSpec(): CType {
    const n = this.peek();
    let tag: string | null = null;
    if (n.kind === T.Ident) tag = this.take().text;
    const key = `enum ${tag ?? '<anon>'}`;
    const known = tag === null ? undefined : (this.decls.tags.get(key) as EnumType | undefined);
    if (!this.is('{')) {
      if (known === undefined) this.fail('D4102', n, [key]);
      return known;
    }
    this.take();
    if (known !== undefined) this.diags.report('D4101', this.span(n.start, n.end), [key]);
    const e: EnumType = { kind: 'enum', name: key, values: new Map() };
    if (tag !== null) this.decls.tags.set(key, e);
    let next = 0n;
    while (!this.is('}')) {
      const id = this.peek();
      if (id.kind !== T.Ident) this.fail('D2001', id, ['an enumerator name', describeToken(id)]);
      this.take();
      if (this.accept('=')) {
        const x = this.expr();
        const v = constEval(x, this.decls);
        if (v === null) this.diags.report('D4115', x.span, [id.text]);
        else next = v;
      }
      if (next < -(1n << 31n) || next >= 1n << 31n) this.diags.report('D4115', this.span(id.start, id.end), [id.text]);
      if (this.decls.enumerators.has(id.text) || this.decls.inlines.has(id.text)) {
        this.diags.report('D4101', this.span(id.start, id.end), [id.text]);
      }
      e.values.set(id.text, Number(BigInt.asIntN(32, next)));
      this.decls.enumerators.set(id.text, { value: Number(BigInt.asIntN(32, next)), type: e });
      next++;
      if (!this.accept(',')) break;
    }
    this.expect('}');
    return e;
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
