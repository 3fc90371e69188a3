import { createRequire } from 'node:module';
import type { parse as acornParse } from 'acorn';
import { functionName, type AnyNode, type Unnamed } from './naming.js';
import { hasInlineSourceMap, shiftInlineSourceMap, type Insertion } from './sourcemap.js';

/**
 * Load-time rewrite of a module's named functions into probe sites. Self-contained (no
 * runtime state) because Node 20 runs ESM load hooks on a separate thread. Every edit is
 * an insertion on an existing line, so line numbers and most columns stay exact.
 */

/** Bump when the emitted code or the naming rules change: it is part of the cache key. */
export const TRANSFORM_VERSION = 6;
/** Marks transformed code so that no chain of hooks transforms it twice. */
export const MARKER = '/*@mscope:fn*/';

export const enum Kind {
  Plain = 0,
  Async = 1,
  Generator = 2,
}

export interface TransformOptions {
  /** Module name used in probe names (`lib/math.js`, `qs/lib/utils.js`). */
  readonly module: string;
  readonly format: 'module' | 'commonjs';
  readonly provider?: string;
}

export interface TransformResult {
  readonly code: string;
  readonly sites: ReadonlyArray<readonly [string, Kind]>;
  /** The program's functions that are not sites, and why (`mscope list --skipped`). */
  readonly unnamed: readonly Unnamed[];
}

// Loaded on first use: a warm cache never needs the parser, and loading it costs startup.
const require = createRequire(import.meta.url);
let parse: typeof acornParse | null = null;

export function isTransformed(source: string): boolean {
  return source.includes(MARKER);
}

/** Throws acorn's SyntaxError when the source does not parse; callers record a skip. */
export function transform(source: string, options: TransformOptions): TransformResult {
  const esm = options.format === 'module';
  parse ??= (require('acorn') as { parse: typeof acornParse }).parse;
  const ast = parse(source, {
    ecmaVersion: 'latest',
    sourceType: esm ? 'module' : 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: !esm,
    allowAwaitOutsideFunction: esm,
  }) as unknown as AnyNode;
  const p = pickPrefix(source);
  const rewriter = new Rewriter(source, p, esm);
  rewriter.visit(ast, 0);
  if (rewriter.sites.length === 0) return { code: source, sites: [], unnamed: rewriter.unnamed };
  const at = headerPosition(source, ast);
  rewriter.edits.push(new Edit(at.pos, OPEN, -1, at.semicolon + header(p, options, rewriter.sites)));
  const code = applyEdits(source, rewriter.edits);
  return {
    code: hasInlineSourceMap(code) ? shiftInlineSourceMap(code, insertions(source, rewriter.edits)) : code,
    sites: rewriter.sites,
    unnamed: rewriter.unnamed,
  };
}

const OPEN = 1;
const CLOSE = 0;

/** An insertion. At one position closers go first (innermost first), then openers (outermost first). */
class Edit {
  constructor(
    readonly pos: number,
    readonly side: number,
    readonly depth: number,
    readonly text: string,
  ) {}
}

function compareEdits(a: Edit, b: Edit): number {
  if (a.pos !== b.pos) return a.pos - b.pos;
  if (a.side !== b.side) return a.side - b.side;
  return a.side === CLOSE ? b.depth - a.depth : a.depth - b.depth;
}

function applyEdits(source: string, edits: Edit[]): string {
  edits.sort(compareEdits);
  let out = '';
  let last = 0;
  for (const e of edits) {
    out += source.slice(last, e.pos) + e.text;
    last = e.pos;
  }
  return out + source.slice(last);
}

/** Edits (already sorted) as line/column insertions, for a source map of the original. */
function insertions(source: string, edits: readonly Edit[]): Insertion[] {
  const out: Insertion[] = [];
  let line = 0;
  let lineStart = 0;
  let scanned = 0;
  for (const e of edits) {
    for (; scanned < e.pos; scanned++) {
      if (source.charCodeAt(scanned) === 10) {
        line++;
        lineStart = scanned + 1;
      }
    }
    out.push({ line, column: e.pos - lineStart, length: e.text.length });
  }
  return out;
}

/** `$ms` unless the source already uses it, so generated names never collide. */
function pickPrefix(source: string): string {
  let p = '$ms';
  for (let i = 1; source.includes(p); i++) p = `$ms${i}_`;
  return p;
}

/** After a `#!` line and after a leading directive prologue ("use strict"). */
function headerPosition(source: string, ast: AnyNode): Prologue {
  let pos = 0;
  if (source.startsWith('#!')) {
    const nl = source.indexOf('\n');
    pos = nl < 0 ? source.length : nl + 1;
  }
  return afterDirectives(source, ast.body as AnyNode[], pos);
}

/** Where code may follow a directive prologue, and the `;` it needs when a directive relied on ASI. */
interface Prologue {
  readonly pos: number;
  readonly semicolon: string;
}

function afterDirectives(source: string, body: readonly AnyNode[], pos: number): Prologue {
  let semicolon = '';
  for (const stmt of body) {
    if (stmt.type !== 'ExpressionStatement' || typeof stmt.directive !== 'string') break;
    pos = stmt.end;
    semicolon = source.charCodeAt(stmt.end - 1) === 59 ? '' : ';';
  }
  return { pos, semicolon };
}

/**
 * One line. `$msL`/`$msF` are hoisted declarations so that an ESM function called
 * through an import cycle before this module's body ran still works (untraced).
 */
function header(p: string, o: TransformOptions, sites: ReadonlyArray<readonly [string, Kind]>): string {
  const list = JSON.stringify(sites);
  return (
    `${MARKER}var ${p}R = globalThis[Symbol.for("microscope.runtime")] || { module: function (p, m, s) { return { state: s.map(function () { return 0; }) }; } }, ` +
    `${p}M = ${p}R.module(${JSON.stringify(o.provider ?? 'fn')}, ${JSON.stringify(o.module)}, ${list}), ${p}S = ${p}M.state, ${p}N = ${p}R.enter; ` +
    `function ${p}L(t, v) { return t === 0 ? v : ${p}R.leave(t, v); } ` +
    `function ${p}F(t, e) { if (t !== 0) ${p}R.fail(t, e); return e; }`
  );
}

/** A function being walked: returns inside it are rewritten when it is a site. */
class Frame {
  constructor(readonly site: boolean) {}
}

class Rewriter {
  readonly edits: Edit[] = [];
  readonly sites: Array<readonly [string, Kind]> = [];
  readonly unnamed: Unnamed[] = [];
  private readonly seen = new Map<string, number>();
  private readonly frames: Frame[] = [new Frame(false)];
  private readonly ancestors: AnyNode[] = [];

  constructor(
    private readonly source: string,
    private readonly p: string,
    private readonly esm: boolean,
  ) {}

  visit(node: AnyNode, depth: number): void {
    const isFn = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    if (isFn) {
      const name = functionName(node, this.ancestors);
      if (typeof name === 'object' && name !== null) this.unnamed.push(name);
      const site = typeof name === 'string' && this.instrument(node, name, depth);
      this.frames.push(new Frame(site));
    } else if (node.type === 'ReturnStatement' && this.frames[this.frames.length - 1]!.site) {
      this.rewriteReturn(node, depth);
    }
    this.ancestors.push(node);
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c !== null && typeof c === 'object' && typeof c.type === 'string') this.visit(c, depth + 1);
      } else if (v !== null && typeof v === 'object' && typeof v.type === 'string') this.visit(v, depth + 1);
    }
    this.ancestors.pop();
    if (isFn) this.frames.pop();
  }

  private rewriteReturn(node: AnyNode, depth: number): void {
    const p = this.p;
    if (node.argument === null) {
      this.edits.push(new Edit(node.start + 6, OPEN, depth, ` ${p}L(${p}E)`));
    } else {
      this.edits.push(new Edit(node.argument.start, OPEN, depth, `${p}L(${p}E,(`));
      this.edits.push(new Edit(node.argument.end, CLOSE, depth, `))`));
    }
  }

  private instrument(fn: AnyNode, name: string, depth: number): boolean {
    const p = this.p;
    const body = fn.body as AnyNode;
    let open: number;
    let close: number;
    let semicolon = '';
    let expression = false;
    if (body.type === 'BlockStatement') {
      ({ pos: open, semicolon } = afterDirectives(this.source, body.body as AnyNode[], body.start + 1));
      close = body.end - 1;
    } else {
      // Expression body: `=>` may be followed by parentheses that belong to the arrow.
      const from = fn.params.length > 0 ? fn.params[fn.params.length - 1].end : fn.start;
      const arrow = this.source.indexOf('=>', from);
      if (arrow < 0 || arrow > body.start) return false;
      open = arrow + 2;
      close = fn.end;
      expression = true;
    }
    const count = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, count);
    const index = this.sites.length;
    this.sites.push([count === 1 ? name : `${name}#${count}`, kindOf(fn)]);
    const self = fn.type === 'ArrowFunctionExpression' || isDerivedConstructor(fn, this.ancestors) ? 'undefined' : 'this';
    const guard = this.esm ? `${p}S===undefined||${p}S[${index}]===0` : `${p}S[${index}]===0`;
    // Compact on purpose: source size is what V8 pays for at startup (parse, preparse, GC).
    const prologue = `const ${p}E=${guard}?0:${p}N(${p}M,${index},${self},[${fn.params.map(argOf).join(',')}]);`;
    const epilogue = `}catch(${p}X){throw ${p}F(${p}E,${p}X)}`;
    if (expression) {
      this.edits.push(new Edit(open, OPEN, depth, `{${prologue}try{return ${p}L(${p}E,(`));
      this.edits.push(new Edit(close, CLOSE, depth, `))${epilogue}}`));
    } else {
      const head = `${semicolon}${prologue}try{`;
      // `;` first: the last statement may rely on ASI (`return x}`).
      const tail = `;${p}L(${p}E)${epilogue}`;
      if (open === close) this.edits.push(new Edit(open, OPEN, depth, head + tail));
      else {
        this.edits.push(new Edit(open, OPEN, depth, head));
        this.edits.push(new Edit(close, CLOSE, depth, tail));
      }
    }
    return true;
  }
}

function kindOf(fn: AnyNode): Kind {
  if (fn.generator === true) return Kind.Generator;
  return fn.async === true ? Kind.Async : Kind.Plain;
}

function argOf(param: AnyNode): string {
  if (param.type === 'Identifier') return param.name as string;
  if (param.type === 'AssignmentPattern' && param.left.type === 'Identifier') return param.left.name as string;
  if (param.type === 'RestElement' && param.argument.type === 'Identifier') return `...${param.argument.name as string}`;
  return 'undefined';
}

function isDerivedConstructor(fn: AnyNode, ancestors: AnyNode[]): boolean {
  const method = ancestors[ancestors.length - 1];
  if (method?.type !== 'MethodDefinition' || method.kind !== 'constructor') return false;
  const cls = ancestors[ancestors.length - 3];
  return cls !== undefined && cls.superClass !== null && cls.superClass !== undefined;
}
