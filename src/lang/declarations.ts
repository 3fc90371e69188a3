import type { Expr, Span } from './ast.js';
import { DEFAULT_OPTIONS } from './options.js';
import { BUILTIN_TYPES, asInt, sizeOf, wrapConst, type CType, type EnumType, type IntType } from './ctypes.js';

/** `int x;`, `self int y;`, `this string s;`, `int a[5];`, `int b[string];`. */
export interface VarDecl {
  readonly name: string;
  readonly scope: 'global' | 'self' | 'this';
  readonly type: CType;
  /** An associative array's key types (`int b[string, int]`); undefined for a scalar or a scalar array. */
  readonly keys?: readonly CType[];
  readonly span: Span;
}

/** `inline int MAX = 10;`: every use of the name stands for the expression, converted to the type. */
export interface InlineDecl {
  readonly name: string;
  readonly type: CType;
  readonly expr: Expr;
  readonly span: Span;
}

/** `translator OUT < IN *param > { member = expr; … };` */
export interface Translator {
  readonly to: CType;
  readonly from: CType;
  readonly param: string;
  readonly members: ReadonlyMap<string, Expr>;
  readonly span: Span;
}

/**
 * Everything the program declares, across its files: typedef names (which the parser must know
 * to tell a cast from a parenthesised expression, as in C), struct, union and enum tags,
 * enumerators, declared variables, inlines and translators.
 */
export class Declarations {
  /**
   * The program's strsize: the string type is `char [strsize]` (DTrace's dt_opt_strsize resizes
   * it), so `sizeof (string)` and the layout of a struct with a string member follow the option.
   */
  strsize: number = DEFAULT_OPTIONS.strsize;
  readonly typedefs = new Map<string, CType>();
  readonly tags = new Map<string, CType>();
  readonly enumerators = new Map<string, { readonly value: number; readonly type: EnumType }>();
  readonly vars = new Map<string, VarDecl>();
  readonly inlines = new Map<string, InlineDecl>();
  readonly translators: Translator[] = [];

  /** A type named by one identifier: a typedef of the program's, else one D knows. */
  typeNamed(name: string): CType | undefined {
    return this.typedefs.get(name) ?? BUILTIN_TYPES.get(name);
  }

  isTypeName(name: string): boolean {
    return this.typedefs.has(name) || BUILTIN_TYPES.has(name);
  }

  /** The key a declared variable is found by: `x`, `self->x`, `this->x`. */
  static key(scope: VarDecl['scope'], name: string): string {
    return scope === 'global' ? name : `${scope}->${name}`;
  }

  /** The translator from `from` (or a pointer to it) to `to`. */
  translator(to: CType, from: CType): Translator | undefined {
    const base = from.kind === 'ptr' ? from.to : from;
    return this.translators.find((t) => t.to.name === to.name && (t.from.name === base.name || t.from.name === from.name));
  }
}

/**
 * The value of an integer constant expression: literals, enumerators, constant inlines,
 * `sizeof`, casts and the arithmetic of those; null when the expression is not constant.
 */
export function constEval(e: Expr, decls: Declarations): bigint | null {
  switch (e.kind) {
    case 'int':
      return BigInt(e.value);
    case 'ident': {
      const en = decls.enumerators.get(e.name);
      if (en !== undefined) return BigInt(en.value);
      const inl = decls.inlines.get(e.name);
      if (inl !== undefined && asInt(inl.type) !== null) {
        const v = constEval(inl.expr, decls);
        return v === null ? null : wrapConst(v, asInt(inl.type)!);
      }
      return null;
    }
    case 'sizeof':
      return e.operand.ctype === undefined ? null : BigInt(sizeOf(e.operand.ctype, decls.strsize));
    case 'unary': {
      const v = constEval(e.operand, decls);
      if (v === null) return null;
      switch (e.op) {
        case '-':
          return -v;
        case '+':
          return v;
        case '~':
          return ~v;
        case '!':
          return v === 0n ? 1n : 0n;
        case 'cast': {
          const t = e.to === undefined ? null : asInt(e.to);
          return t === null ? null : wrapConst(v, t as IntType);
        }
        default:
          return null;
      }
    }
    case 'binary': {
      const l = constEval(e.left, decls);
      const r = constEval(e.right, decls);
      if (l === null || r === null) return null;
      return binaryConst(e.op, l, r);
    }
    case 'ternary': {
      const c = constEval(e.cond, decls);
      if (c === null) return null;
      return constEval(c !== 0n ? e.then : e.else, decls);
    }
    default:
      return null;
  }
}

function binaryConst(op: string, l: bigint, r: bigint): bigint | null {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return r === 0n ? null : l / r;
    case '%':
      return r === 0n ? null : l % r;
    case '&':
      return l & r;
    case '|':
      return l | r;
    case '^':
      return l ^ r;
    case '<<':
      return l << (r & 63n);
    case '>>':
      return l >> (r & 63n);
    case '==':
      return l === r ? 1n : 0n;
    case '!=':
      return l !== r ? 1n : 0n;
    case '<':
      return l < r ? 1n : 0n;
    case '<=':
      return l <= r ? 1n : 0n;
    case '>':
      return l > r ? 1n : 0n;
    case '>=':
      return l >= r ? 1n : 0n;
    case '&&':
      return l !== 0n && r !== 0n ? 1n : 0n;
    case '||':
      return l !== 0n || r !== 0n ? 1n : 0n;
    default:
      return null;
  }
}
