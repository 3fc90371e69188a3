import type { Expr, Program } from './ast.js';
import { AGG_FUNCS, BUILTIN_FUNCS, BUILTIN_VARS } from './builtins.js';
import type { DiagnosticBag } from './diagnostics.js';
import { didYouMean } from './suggest.js';
import type { Declarations, VarDecl } from './declarations.js';
import { checkDefinedBeforeUse } from './defined-before-use.js';
import { visitExpr, visitProgram } from './walk.js';

export interface Names {
  /** Global scalars and arrays, by name, in first-assignment order. */
  readonly globals: Set<string>;
  readonly arrays: Set<string>;
  readonly selfVars: Set<string>;
  /** `self->` associative arrays (`self->a[k] = v`, `self int a[int];`), by name: also in selfVars, each holds one slot. */
  readonly selfArrays: Set<string>;
  readonly thisVars: Set<string>;
  /** Aggregations by name (`_` for bare `@`), in first-use order. */
  readonly aggregations: Set<string>;
  /** Globals that live in memory (addressed.ts): each one's address and size in Scratch's static region. */
  readonly statics: Map<string, { readonly address: number; readonly size: number }>;
  /** `self->` and `this->` variables that live in memory (addressed.ts), by key (`self->s`): each holds its bytes. */
  readonly dynamicInMemory: Set<string>;
}

/**
 * Binds every name to what it denotes: a built-in variable, a global scalar or array, a
 * `self->`/`this->` variable. A name is a global if the program assigns it anywhere, as in
 * D where a variable's first assignment declares it.
 */
export function resolveNames(program: Program, diags: DiagnosticBag): Names {
  const names: Names = {
    globals: new Set(),
    arrays: new Set(),
    selfVars: new Set(),
    selfArrays: new Set(),
    thisVars: new Set(),
    aggregations: new Set(),
    statics: new Map(),
    dynamicInMemory: new Set(),
  };
  for (const c of program.clauses) for (const s of c.body) if (s.kind === 'aggregate') names.aggregations.add(s.name || '_');
  // Declared variables exist before any assignment: a declared array is stored as an associative one.
  for (const v of program.decls.vars.values()) {
    if (v.scope === 'self') {
      names.selfVars.add(v.name);
      if (v.keys !== undefined) names.selfArrays.add(v.name);
    } else if (v.scope === 'this') names.thisVars.add(v.name);
    else if (v.type.kind === 'array' || v.keys !== undefined) names.arrays.add(v.name);
    else names.globals.add(v.name);
  }
  const decls = program.decls;
  // A declared global scalar or struct is never an array; a string is indexed only to read a character.
  const unindexable = (target: Expr, write: boolean): VarDecl | undefined => {
    const v = target.kind === 'ident' ? decls.vars.get(target.name) : undefined;
    if (v === undefined || v.scope !== 'global' || v.keys !== undefined) return undefined;
    const k = v.type.kind;
    return k === 'array' || k === 'ptr' || k === 'dyn' || (k === 'string' && !write) ? undefined : v;
  };
  // Undeclared globals assigned as a scalar and as an associative array: D refuses the second
  // use. An undeclared self-> variable (keyed `self->x`) is an associative array when it is
  // only ever assigned by element; one also assigned whole is indexed as its value is (a pointer).
  const scalarAt = new Map<string, Expr>();
  const arrayAt = new Map<string, Expr>();
  visitProgram(program, (e) => {
    if (e.kind !== 'assign' && e.kind !== 'update') return;
    const t = e.target;
    if (t.kind === 'ident' && (decls.enumerators.has(t.name) || decls.inlines.has(t.name))) diags.report('D2005', t.span, [t.name]);
    else if (t.kind === 'ident' && !BUILTIN_VARS.has(t.name)) {
      if (!names.arrays.has(t.name)) names.globals.add(t.name);
      if (!decls.vars.has(t.name) && !scalarAt.has(t.name)) scalarAt.set(t.name, t);
    } else if (t.kind === 'index' && t.target.kind === 'ident' && decls.vars.get(t.target.name)?.type.kind === 'ptr') {
      // `p[i] = v` of a declared pointer stores through it: `p` stays a scalar.
    } else if (t.kind === 'index' && unindexable(t.target, true) !== undefined) {
      // `s` stays what it was declared as; the checker refuses the assignment (D2005).
    } else if (t.kind === 'index' && t.target.kind === 'ident' && t.target.name !== 'args') {
      names.arrays.add(t.target.name);
      if (!decls.vars.has(t.target.name) && !arrayAt.has(t.target.name)) arrayAt.set(t.target.name, t.target);
    } else if (t.kind === 'index' && t.target.kind === 'self' && !decls.vars.has('self->' + t.target.name)) {
      names.selfVars.add(t.target.name);
      if (!arrayAt.has('self->' + t.target.name)) arrayAt.set('self->' + t.target.name, t.target);
    } else if (t.kind === 'self') {
      names.selfVars.add(t.name);
      if (!decls.vars.has('self->' + t.name) && !scalarAt.has('self->' + t.name)) scalarAt.set('self->' + t.name, t);
    } else if (t.kind === 'this') names.thisVars.add(t.name);
    else if (t.kind === 'ident') diags.report('D3010', t.span, [t.name]);
  });
  for (const [name, scalar] of scalarAt) {
    const array = arrayAt.get(name);
    if (array === undefined || name.startsWith('self->')) continue;
    const [later, first] = scalar.span.start > array.span.start ? [scalar, 'an associative array'] : [array, 'a scalar'];
    diags.report('D3016', later.span, [name, first]);
  }
  for (const key of arrayAt.keys()) if (key.startsWith('self->') && !scalarAt.has(key)) names.selfArrays.add(key.slice(6));
  const indexed = new WeakSet<Expr>();
  const written = new WeakSet<Expr>();
  visitProgram(program, (e) => {
    if ((e.kind === 'assign' || e.kind === 'update') && e.target.kind === 'index') written.add(e.target);
  });
  visitProgram(program, (e) => {
    const v = e.kind === 'index' && !written.has(e) ? unindexable(e.target, false) : undefined;
    if (v !== undefined) diags.report('D3017', e.span, [v.name, v.type.name]);
    if (e.kind === 'index') indexed.add(e.target);
    else if (e.kind === 'ident' && !indexed.has(e) && arrayAt.has(e.name) && !scalarAt.has(e.name))
      diags.report('D3016', e.span, [e.name, 'an associative array']);
    else if (e.kind === 'self' && !indexed.has(e) && names.selfArrays.has(e.name))
      diags.report('D3016', e.span, [`self->${e.name}`, 'an associative array']);
  });
  visitProgram(program, (e) => bind(e, names, diags, decls, null));
  for (const inl of decls.inlines.values()) visitExpr(inl.expr, (e) => bind(e, names, diags, decls, null));
  for (const t of decls.translators) for (const m of t.members.values()) visitExpr(m, (e) => bind(e, names, diags, decls, t.param));
  checkDefinedBeforeUse(program, diags);
  return names;
}

function bind(e: Expr, names: Names, diags: DiagnosticBag, decls: Declarations, param: string | null): void {
  switch (e.kind) {
    case 'self':
      e.ref = { kind: 'self', name: e.name };
      if (!names.selfVars.has(e.name)) names.selfVars.add(e.name);
      return;
    case 'this':
      e.ref = { kind: 'this', name: e.name };
      if (!names.thisVars.has(e.name)) names.thisVars.add(e.name);
      return;
    case 'index':
      if (e.target.kind === 'ident' && names.arrays.has(e.target.name)) e.ref = { kind: 'array', name: e.target.name };
      else if (e.target.kind === 'self' && names.selfArrays.has(e.target.name)) e.ref = { kind: 'array', name: `self->${e.target.name}` };
      return;
    case 'ident': {
      if (e.name === param) {
        e.ref = { kind: 'param', name: e.name };
        return;
      }
      if (decls.enumerators.has(e.name)) {
        e.ref = { kind: 'const', name: e.name };
        return;
      }
      if (decls.inlines.has(e.name)) {
        e.ref = { kind: 'inline', name: e.name };
        return;
      }
      if (names.arrays.has(e.name)) {
        e.ref = { kind: 'array', name: e.name };
        return;
      }
      if (BUILTIN_VARS.has(e.name)) e.ref = { kind: 'builtin', name: e.name };
      else if (names.globals.has(e.name)) e.ref = { kind: 'global', name: e.name };
      else {
        const suffix = didYouMean(e.name, [
          ...BUILTIN_VARS.keys(),
          ...names.globals,
          ...names.arrays,
          ...decls.enumerators.keys(),
          ...decls.inlines.keys(),
        ]);
        diags.report('D3002', e.span, [e.name], { suffix });
      }
      return;
    }
    case 'call':
      if (BUILTIN_FUNCS.has(e.name)) return;
      if (AGG_FUNCS.has(e.name)) diags.report('D3008', e.nameSpan, [e.name]);
      else {
        diags.report('D3001', e.nameSpan, [e.name], { suffix: didYouMean(e.name, BUILTIN_FUNCS.keys()) });
      }
      return;
    case 'agg':
      if (!names.aggregations.has(e.name || '_')) {
        const suffix = didYouMean(
          '@' + e.name,
          [...names.aggregations].map((a) => '@' + (a === '_' ? '' : a)),
        );
        diags.report('D3009', e.span, ['@' + e.name], { suffix });
      }
      return;
    default:
      return;
  }
}
