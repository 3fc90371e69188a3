import type { parse as acornParse } from 'acorn';
import { functionName, type AnyNode, type Unnamed } from './naming.js';
import { hasInlineSourceMap, shiftInlineSourceMap, type Insertion } from './sourcemap.js';
import { fragment, RETURN_MARK, RETURN_MARK_PREFIX } from './fragments.js';
import { loadPrivateParser } from './private-parser.js';
import { encodeShifts, type Inserted } from './shifts.js';
import { lineOf, lineStarts } from '../core/lines.js';

/**
 * Load-time rewrite of a module's named functions into probe sites. Self-contained (no
 * runtime state) because Node 20 runs ESM load hooks on a separate thread. Every edit is
 * an insertion on an existing line, placed where it moves no original token when it can
 * (docs/CONFORMANCE.md, "Rewrite fidelity"), and delimited as a fragment (fragments.ts)
 * so that `Function.prototype.toString` can give back the original text exactly.
 */

/** Bump when the emitted code or the naming rules change: it is part of the cache key. */
export const TRANSFORM_VERSION = 12;
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
  /**
   * False when no `return` or `error` probe can be enabled (`mscope run` of a script that
   * enables only `entry`): a function gets its entry prologue and nothing else, so no line
   * but the one of its `{` changes. Default true.
   */
  readonly exits?: boolean;
  /**
   * A live edit of a script already running (attach/splice.ts): no header, since V8 refuses to
   * change an ES module's top level, so the prologues name globals of this `prefix` instead of
   * the header's variables; only the functions `select` picks by site index are edited (all
   * are still named, so names and indices are the load-time rewrite's); `exits` picks those of
   * them that also get their return and error points (all when absent).
   */
  readonly live?: LiveOptions;
}

export interface LiveOptions {
  readonly prefix: string;
  readonly select: (index: number) => boolean;
  readonly exits?: (index: number) => boolean;
}

/** Where an edited function's body starts in the original source, and the prologue's call. */
export interface LiveEntry {
  readonly index: number;
  readonly pos: number;
  /** What the prologue passes as `this` and as arguments: a breakpoint condition passes the same. */
  readonly self: string;
  readonly args: readonly string[];
  /**
   * Whether its return and error points were edited in too. Not when the edit would put a `}`
   * on the line of an edited function's closing brace (transform's `liveEdits`).
   */
  readonly exits: boolean;
}

export interface TransformResult {
  readonly code: string;
  readonly sites: ReadonlyArray<readonly [string, Kind]>;
  /** The program's functions that are not sites, and why (`mscope list --skipped`). */
  readonly unnamed: readonly Unnamed[];
  /** With `live`: the edited functions. */
  readonly entries?: readonly LiveEntry[];
}

// Loaded on first use: a warm cache never needs the parser, and loading it costs startup.
let parse: typeof acornParse | null = null;

export function isTransformed(source: string): boolean {
  return source.includes(MARKER);
}

/** Throws acorn's SyntaxError when the source does not parse; callers record a skip. */
export function transform(source: string, options: TransformOptions): TransformResult {
  const esm = options.format === 'module';
  parse ??= loadPrivateParser();
  const comments = new Map<number, number>();
  const ast = parse(source, {
    ecmaVersion: 'latest',
    sourceType: esm ? 'module' : 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: !esm,
    allowAwaitOutsideFunction: esm,
    onComment: (_block, _text, start, end) => void comments.set(end, start),
  }) as unknown as AnyNode;
  const live = options.live;
  if (live !== undefined) return liveEdits(source, ast, options.exits !== false, comments, live);
  const p = pickPrefix(source);
  const rewriter = new Rewriter(source, p, esm, options.exits !== false, comments);
  rewriter.visit(ast, 0);
  if (rewriter.sites.length === 0) return { code: source, sites: [], unnamed: rewriter.unnamed };
  rewriter.edits.push(headerEdit(source, ast, p, options, rewriter));
  const code = applyEdits(source, rewriter.edits);
  return {
    code: hasInlineSourceMap(code) ? shiftInlineSourceMap(code, insertions(source, rewriter.edits)) : code,
    sites: rewriter.sites,
    unnamed: rewriter.unnamed,
  };
}

/**
 * V8 matches a live-edited script's functions to the running ones by a text diff of the two
 * sources (line by line, then character by character within changed lines), and a function
 * whose closing `}` the diff pairs with another `}` is left running its old code while the edit
 * reports success. Our insertions never remove text, and only return points (a body's `try`
 * closed by `}catch(…){…}`) insert a `}`: an edited function's closing brace stays on a line
 * the edit leaves as it was (the body's close goes to the end of its last statement's line),
 * and a function whose return points would put a `}` on such a line is edited for entry only.
 */
function liveEdits(
  source: string,
  ast: AnyNode,
  exits: boolean,
  comments: ReadonlyMap<number, number>,
  live: LiveOptions,
): TransformResult {
  const starts = lineStarts(source);
  const entryOnly = new Set<number>();
  for (;;) {
    const rewriter = new Rewriter(source, live.prefix, false, exits, comments, live, entryOnly);
    rewriter.visit(ast, 0);
    const closed = new Set(rewriter.closes.map((pos) => lineOf(starts, pos)));
    let more = false;
    for (const [pos, owner] of rewriter.braces) {
      if (entryOnly.has(owner) || !closed.has(lineOf(starts, pos))) continue;
      entryOnly.add(owner);
      more = true;
    }
    if (!more)
      return { code: applyEdits(source, rewriter.edits), sites: rewriter.sites, unnamed: rewriter.unnamed, entries: rewriter.entries };
  }
}

/**
 * The header carries the table of moved columns (shifts.ts), which includes the header's own
 * length when code follows it on its line: computed until the two agree (a digit more at most).
 */
function headerEdit(source: string, ast: AnyNode, p: string, options: TransformOptions, rewriter: Rewriter): Edit {
  const at = headerPosition(source, ast);
  const file = fileExpression(options.format === 'module', ast);
  // `m`: Node maps this file's frames through its own (shifted) source map when the program enables source maps.
  const mark = hasInlineSourceMap(source) ? 'm' : '';
  let shifts = '';
  for (let attempt = 0; attempt < 8; attempt++) {
    const text = fragment(p, at.semicolon + header(p, options, rewriter.sites, file, shifts));
    const table =
      file === '' ? '' : encodeShifts(source, inserted([new Edit(at.pos, OPEN, -1, text), ...rewriter.edits].sort(compareEdits)));
    const next = table === '' ? '' : mark + table;
    if (next === shifts) return new Edit(at.pos, OPEN, -1, text);
    shifts = next;
  }
  return new Edit(at.pos, OPEN, -1, fragment(p, at.semicolon + header(p, options, rewriter.sites, '', '')));
}

function inserted(sorted: readonly Edit[]): Inserted[] {
  const out: Inserted[] = [];
  for (const e of sorted) if (e.removed !== e.text.length) out.push({ pos: e.pos, length: e.text.length - e.removed });
  return out;
}

const OPEN = 1;
const CLOSE = 0;

/**
 * An insertion, or a same-length replacement of `removed` characters. At one position closers
 * go first (innermost first), then openers (outermost first).
 */
class Edit {
  constructor(
    readonly pos: number,
    readonly side: number,
    readonly depth: number,
    readonly text: string,
    readonly removed = 0,
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
    last = e.pos + e.removed;
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
    if (e.removed === e.text.length) continue;
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
 * What the module's file is called in its stack frames (CallSite.getFileName), for the
 * column fix-up (shifts.ts). In CommonJS only a top-level function declaration can hide the
 * wrapper's `__filename` at that point; such a module goes without the fix-up.
 */
function fileExpression(esm: boolean, ast: AnyNode): string {
  if (esm) return 'import.meta.url';
  const hidden = (ast.body as AnyNode[]).some((s) => s.type === 'FunctionDeclaration' && s.id?.name === '__filename');
  return hidden ? '' : 'typeof __filename==="string"?__filename:void 0';
}

/**
 * One line. `${p}U` (the token of an untraced call: stores to `msv`/`msx` do nothing) is a
 * hoisted declaration so that an ESM function called through an import cycle before this
 * module's body ran still works, untraced.
 */
function header(p: string, o: TransformOptions, sites: ReadonlyArray<readonly [string, Kind]>, file: string, shifts: string): string {
  const list = JSON.stringify(sites);
  const located = shifts === '' ? '' : `, ${file}, ${JSON.stringify(shifts)}`;
  return (
    `${MARKER}var ${p}R = globalThis[Symbol.for("microscope.runtime")] || { module: function (p, m, s) { return { state: s.map(function () { return 0; }) }; } }, ` +
    `${p}M = ${p}R.module(${JSON.stringify(o.provider ?? 'fn')}, ${JSON.stringify(o.module)}, ${list}, ${p}U${located}), ${p}S = ${p}M.state, ${p}N = ${p}M.enter; ` +
    `function ${p}U() {}`
  );
}

/** A function being walked: returns inside it are rewritten when it is a site. */
class Frame {
  constructor(
    /** Its site index when its returns are rewritten, else -1. */
    readonly site: number,
    readonly asyncGenerator: boolean,
  ) {}
}

/** Statements whose parent holds a list of them: a `;` may be inserted between two. */
const STATEMENT_LISTS = new Set(['BlockStatement', 'Program', 'SwitchCase', 'StaticBlock']);

class Rewriter {
  readonly edits: Edit[] = [];
  readonly sites: Array<readonly [string, Kind]> = [];
  readonly unnamed: Unnamed[] = [];
  readonly entries: LiveEntry[] = [];
  /** Live: where each edited function's closing `}` is. */
  readonly closes: number[] = [];
  /** Live: where an edit inserts a `}`, and the site whose edit it is. */
  readonly braces: Array<readonly [number, number]> = [];
  private readonly seen = new Map<string, number>();
  private readonly frames: Frame[] = [new Frame(-1, false)];
  private readonly ancestors: AnyNode[] = [];

  constructor(
    private readonly source: string,
    private readonly p: string,
    private readonly esm: boolean,
    /** Whether returns and throws are observed (TransformOptions.exits). */
    private readonly exits: boolean,
    /** Comment end → start, to step back over comments. */
    private readonly comments: ReadonlyMap<number, number>,
    private readonly live?: LiveOptions,
    /** Live: sites edited for entry only (liveEdits). */
    private readonly entryOnly?: ReadonlySet<number>,
  ) {}

  visit(node: AnyNode, depth: number): void {
    const isFn = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    if (isFn) {
      const name = functionName(node, this.ancestors);
      if (typeof name === 'object' && name !== null) this.unnamed.push(name);
      const site = typeof name === 'string' ? this.instrument(node, name, depth) : -1;
      this.frames.push(new Frame(site, node.async === true && node.generator === true));
    } else if (node.type === 'ReturnStatement' && this.frames[this.frames.length - 1]!.site >= 0) {
      this.rewriteReturn(node, depth);
    } else if (
      (node.type === 'AwaitExpression' || (node.type === 'YieldExpression' && node.delegate !== true)) &&
      this.frames[this.frames.length - 1]!.site >= 0
    ) {
      this.markSuspension(node, depth);
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

  /** `owner`: the site whose return points this edit is part of (`}` only). */
  private add(pos: number, side: number, depth: number, code: string, owner = -1): void {
    this.edits.push(new Edit(pos, side, depth, fragment(this.p, code)));
    if (owner >= 0 && this.live !== undefined) this.braces.push([pos, owner]);
  }

  /**
   * `return X` becomes `return ${p}E.msv=X`: an assignment needs no closing text, and the
   * setter sees the value. When `return ` starts its line, the keyword and the capture move
   * to the end of the previous token and `return ` becomes a comment of the same length, so
   * that no token of X moves; otherwise the capture is inserted before X.
   */
  private rewriteReturn(node: AnyNode, depth: number): void {
    const p = this.p;
    const arg = node.argument as AnyNode | null;
    const frame = this.frames[this.frames.length - 1]!;
    if (arg === null && frame.asyncGenerator) {
      // `return X` awaits X in an async generator and a bare `return` does not: keep it bare.
      this.add(node.start, OPEN, depth, `{${p}E.msv=void 0;`);
      this.add(node.end, CLOSE, depth, `${this.source.charCodeAt(node.end - 1) === 59 ? '' : ';'}}`, frame.site);
      return;
    }
    if (arg === null) {
      const asi = this.source.charCodeAt(node.end - 1) === 59 ? '' : ';';
      this.add(node.start + 6, OPEN, depth, ` ${p}E.msv=void 0${asi}`);
      return;
    }
    const sequence = arg.type === 'SequenceExpression';
    if (sequence) this.add(arg.end, CLOSE, depth, ')');
    const capture = `${p}E.msv=${sequence ? '(' : ''}`;
    if (
      RETURN_MARK.length === 7 &&
      p === RETURN_MARK_PREFIX &&
      arg.start === node.start + 7 &&
      this.source.startsWith('return ', node.start) &&
      this.startsLine(node.start)
    ) {
      const parent = this.ancestors[this.ancestors.length - 1]!;
      const before = STATEMENT_LISTS.has(parent.type as string) ? ';' : ' ';
      this.add(this.previousTokenEnd(node.start), OPEN, depth, `${before}return ${capture}`);
      this.edits.push(new Edit(node.start, OPEN, depth, RETURN_MARK, 7));
    } else {
      this.add(arg.start, OPEN, depth, capture);
    }
  }

  /**
   * `await X` becomes `(${p}E.msr=await(${p}E.mss=X))` (and `yield` likewise): the token's
   * setters end the call's vtime segment before it suspends and start one when it resumes,
   * and both assignments pass the value through. An await whose promise rejects resumes
   * without the `msr` store: the rest of that segment is not counted (docs/LANGUAGE.md, vtime).
   */
  private markSuspension(node: AnyNode, depth: number): void {
    const p = this.p;
    const arg = node.argument as AnyNode | null;
    this.add(node.start, OPEN, depth, `(${p}E.msr=`);
    if (arg === null) {
      this.add(node.end, CLOSE, depth, `(${p}E.mss=void 0))`);
      return;
    }
    this.add(arg.start, OPEN, depth, `(${p}E.mss=`);
    this.add(node.end, CLOSE, depth, '))');
  }

  /** Only spaces and tabs between the start of the line and `pos`. */
  private startsLine(pos: number): boolean {
    for (let i = pos - 1; i >= 0; i--) {
      const c = this.source.charCodeAt(i);
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  private previousTokenEnd(pos: number): number {
    let i = pos;
    for (;;) {
      while (i > 0 && /\s/.test(this.source[i - 1]!)) i--;
      const start = this.comments.get(i);
      if (start === undefined) return i;
      i = start;
    }
  }

  /** Whether `fn` is a site whose returns are rewritten: its index, else -1. */
  private instrument(fn: AnyNode, name: string, depth: number): number {
    const p = this.p;
    const body = fn.body as AnyNode;
    let open: number;
    let close: number;
    let semicolon = '';
    let expression = false;
    if (body.type === 'BlockStatement') {
      // The body moves into a try block, where a function declaration is lexical: one named
      // like a var of the body would no longer parse. Such a function is left as it is.
      if (declaresVarAndFunction(body)) return -1;
      ({ pos: open, semicolon } = afterDirectives(this.source, body.body as AnyNode[], body.start + 1));
      close = body.end - 1;
    } else {
      // Expression body: `=>` may be followed by parentheses that belong to the arrow.
      const from = fn.params.length > 0 ? fn.params[fn.params.length - 1].end : fn.start;
      const arrow = this.source.indexOf('=>', from);
      if (arrow < 0 || arrow > body.start) return -1;
      open = arrow + 2;
      close = fn.end;
      expression = true;
    }
    const count = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, count);
    const index = this.sites.length;
    this.sites.push([count === 1 ? name : `${name}#${count}`, kindOf(fn)]);
    const live = this.live;
    // An expression body's edit would end in an inserted bracket next to the original end,
    // which V8's text diff can pair wrongly (liveEdits): not edited live.
    if (live !== undefined && (expression || !live.select(index))) return -1;
    const self = fn.type === 'ArrowFunctionExpression' || isDerivedConstructor(fn, this.ancestors) ? 'undefined' : 'this';
    const guard = this.esm ? `${p}S===undefined||${p}S[${index}]===0` : `${p}S[${index}]===0`;
    // Compact on purpose: source size is what V8 pays for at startup. The arguments are passed
    // as they are (no array): the traced path allocates only its event.
    const args = fn.params.map(argOf);
    const exits = this.exits && (live === undefined || ((live.exits?.(index) ?? true) && !this.entryOnly!.has(index)));
    if (live !== undefined) {
      this.entries.push({ index, pos: open, self, args, exits });
      this.closes.push(close);
    }
    if (!exits) {
      const call = `${guard}||${p}N(${[index, self, ...args].join(',')})`;
      if (expression) {
        this.add(open, OPEN, depth, `(${call},`);
        this.add(close, CLOSE, depth, ')');
      } else this.add(open, OPEN, depth, `${semicolon}${call};`);
      return -1;
    }
    const prologue = `const ${p}E=${guard}?${p}U:${p}N(${[index, self, ...args].join(',')});`;
    const epilogue = `}catch(${p}X){${p}E.msx=${p}X;throw ${p}X}`;
    if (expression) {
      this.add(open, OPEN, depth, `{${prologue}try{return ${p}E.msv=`);
      this.add(close, CLOSE, depth, `${epilogue}}`, index);
    } else {
      const head = `${semicolon}${prologue}try{`;
      // `;` first: the last statement may rely on ASI (`return x}`).
      const tail = `;${p}E.msv=void 0${epilogue}`;
      // Live: a closing `}` that starts its line keeps that line as it was (liveEdits).
      const at = live !== undefined && this.startsLine(close) ? Math.max(open, this.previousTokenEnd(close)) : close;
      if (open === at) this.add(open, OPEN, depth, head + tail, index);
      else {
        this.add(open, OPEN, depth, head);
        this.add(at, CLOSE, depth, tail, index);
      }
    }
    return index;
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

/** Whether a function body declares a function and a `var` of one name (legal only at body level). */
function declaresVarAndFunction(body: AnyNode): boolean {
  const functions = new Set<string>();
  for (const stmt of body.body as AnyNode[]) if (stmt.type === 'FunctionDeclaration' && stmt.id) functions.add(stmt.id.name as string);
  if (functions.size === 0) return false;
  const names: string[] = [];
  collectVarNames(body, names);
  return names.some((n) => functions.has(n));
}

function collectVarNames(node: AnyNode, out: string[]): void {
  if (node.type === 'VariableDeclaration' && node.kind === 'var') {
    for (const d of node.declarations as AnyNode[]) collectBindingNames(d.id as AnyNode, out);
  }
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const v = node[key];
    const children = Array.isArray(v) ? v : [v];
    for (const c of children) {
      if (c === null || typeof c !== 'object' || typeof c.type !== 'string') continue;
      if (c.type === 'FunctionDeclaration' || c.type === 'FunctionExpression' || c.type === 'ArrowFunctionExpression') continue;
      if (c.type === 'ClassDeclaration' || c.type === 'ClassExpression') continue;
      collectVarNames(c as AnyNode, out);
    }
  }
}

function collectBindingNames(pattern: AnyNode, out: string[]): void {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[])
        collectBindingNames((p.type === 'RestElement' ? p.argument : p.value) as AnyNode, out);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements as (AnyNode | null)[]) if (e !== null) collectBindingNames(e, out);
      break;
    case 'AssignmentPattern':
      collectBindingNames(pattern.left as AnyNode, out);
      break;
    case 'RestElement':
      collectBindingNames(pattern.argument as AnyNode, out);
      break;
  }
}
