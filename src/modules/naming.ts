import type { Node } from 'acorn';

/** How a function node is named in probe names, from where it appears in the module. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ESTree nodes are walked generically, by key
export type AnyNode = Node & Record<string, any>;

/** Helpers that TypeScript, esbuild (tsx) and Babel inject into every module: noise, not API. */
export const COMPILER_HELPERS = new Set([
  '__name',
  '__defProp',
  '__export',
  '__toESM',
  '__toCommonJS',
  '__commonJS',
  '__esm',
  '__copyProps',
  '__reExport',
  '__publicField',
  '__require',
  '__async',
  '__spreadValues',
  '__spreadProps',
  '__objRest',
  '__decorateClass',
  '__decorateParam',
  '__privateAdd',
  '__privateGet',
  '__privateSet',
  '__privateMethod',
  '__awaiter',
  '__generator',
  '__extends',
  '__assign',
  '__rest',
  '__decorate',
  '__param',
  '__metadata',
  '__values',
  '__read',
  '__spread',
  '__spreadArray',
  '__await',
  '__asyncGenerator',
  '__asyncDelegator',
  '__asyncValues',
  '__makeTemplateObject',
  '__importStar',
  '__importDefault',
  '__setModuleDefault',
  '__createBinding',
  '__exportStar',
  '__classPrivateFieldGet',
  '__classPrivateFieldSet',
  '_interopRequireDefault',
  '_classCallCheck',
  '_createClass',
]);

/** Why a function is not a probe site, for `mscope list --skipped`. */
export interface Unnamed {
  readonly func: string;
  readonly reason: string;
}

export const ANONYMOUS = '(anonymous)';
const NO_NAME: Unnamed = { func: ANONYMOUS, reason: 'without a name' };

/**
 * The probe function name of a function node from where it appears; an `Unnamed` when it is
 * the program's but not a site; null for code a compiler generated (helpers, export getters).
 */
export function functionName(fn: AnyNode, ancestors: AnyNode[]): string | Unnamed | null {
  if (isGenerated(ancestors) || isTsxWrapper(fn, ancestors)) return null;
  const own = fn.id ? (fn.id.name as string) : null;
  if (own !== null && COMPILER_HELPERS.has(own)) return null;
  const name = nameFromPlace(fn, ancestors, ancestors.length - 1, own);
  if (typeof name === 'string' && COMPILER_HELPERS.has(name)) return null;
  return name ?? NO_NAME;
}

/** `fn` seen at `ancestors[at]`'s child position; `__name(fn, "x")` (esbuild's keepNames) is looked through. */
function nameFromPlace(fn: AnyNode, ancestors: AnyNode[], at: number, own: string | null): string | Unnamed | null {
  const parent = ancestors[at];
  if (parent === undefined) return own;
  switch (parent.type) {
    case 'CallExpression':
      return isNameCall(parent, fn) ? nameFromPlace(parent, ancestors, at - 1, own) : own;
    case 'VariableDeclarator':
      return parent.init === fn && parent.id.type === 'Identifier' ? (parent.id.name as string) : own;
    case 'AssignmentExpression':
      return parent.right === fn ? (assignedName(parent.left) ?? own) : own;
    case 'Property': {
      if (parent.value !== fn) return own;
      const key = keyName(parent);
      const obj = ancestors[at - 1];
      const holder = ancestors[at - 2];
      if (parent.kind !== 'init') return accessor(parent.kind as string, key === null ? null : qualified(key, obj, holder));
      const described = descriptorAccessor(key, obj, holder, ancestors[at - 3], ancestors[at - 4]);
      if (described !== null) return described;
      if (key === null) return own ?? { func: COMPUTED, reason: COMPUTED_REASON };
      return qualified(key, obj, holder);
    }
    case 'MethodDefinition':
    case 'PropertyDefinition': {
      if (parent.value !== fn) return own;
      const key = keyName(parent);
      const cls = className(ancestors[at - 2], ancestors[at - 3]);
      const func = key === null ? COMPUTED : cls === null ? key : `${cls}.${key}`;
      if (parent.kind === 'get' || parent.kind === 'set') return accessor(parent.kind as string, func);
      return key === null ? { func, reason: COMPUTED_REASON } : func;
    }
    case 'ExportDefaultDeclaration':
      return own ?? 'default';
    default:
      return own;
  }
}

const COMPUTED = '(computed)';
const COMPUTED_REASON = 'computed key: no name known before it runs';

function accessor(kind: string, func: string | null): Unnamed {
  return { func: func ?? COMPUTED, reason: `${kind === 'get' ? 'getter' : 'setter'}: accessors are not probe sites` };
}

/** `api.key` for a property of `const api = {…}`, else `key`. */
function qualified(key: string, obj: AnyNode | undefined, holder: AnyNode | undefined): string {
  if (obj?.type === 'ObjectExpression' && holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') {
    return `${holder.id.name as string}.${key}`;
  }
  return key;
}

const DEFINE_PROPERTY = new Set(['Object.defineProperty', 'Reflect.defineProperty', '__defProp']);

/**
 * `get`/`set` of a property descriptor (`Object.defineProperty(o, "x", { get() {…} })`, as tsc
 * and Babel emit for re-exports) is an accessor of `x`, not a function named `get`.
 */
function descriptorAccessor(
  key: string | null,
  desc: AnyNode | undefined,
  up1: AnyNode | undefined,
  up2: AnyNode | undefined,
  up3: AnyNode | undefined,
): Unnamed | null {
  if ((key !== 'get' && key !== 'set') || desc?.type !== 'ObjectExpression') return null;
  if (up1?.type === 'CallExpression' && up1.arguments[2] === desc && DEFINE_PROPERTY.has(calleeName(up1))) {
    const target = up1.arguments[1] as AnyNode | undefined;
    return accessor(key, target?.type === 'Literal' && typeof target.value === 'string' ? target.value : null);
  }
  // `Object.defineProperties(o, { x: { get() {…} } })`: up1 is `x: …`, up2 the map, up3 the call.
  if (up1?.type === 'Property' && up1.value === desc && up2?.type === 'ObjectExpression' && up3?.type === 'CallExpression') {
    if (up3.arguments[1] === up2 && calleeName(up3) === 'Object.defineProperties') return accessor(key, keyName(up1));
  }
  return null;
}

function calleeName(call: AnyNode): string {
  const c = call.callee as AnyNode;
  if (c.type === 'Identifier') return c.name as string;
  if (c.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier' && c.property.type === 'Identifier') {
    return `${c.object.name as string}.${c.property.name as string}`;
  }
  return '';
}

/** esbuild's `__name(fn, "name")`: the function keeps the name of the place the call is in. */
function isNameCall(call: AnyNode, fn: AnyNode): boolean {
  return call.arguments[0] === fn && call.callee.type === 'Identifier' && call.callee.name === '__name';
}

/**
 * Inside a compiler helper's definition (`var __awaiter = … function step() {…}`), or an
 * export getter that esbuild passes to `__export(exports, { f: () => f })`.
 */
function isGenerated(ancestors: AnyNode[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a.type === 'VariableDeclarator' || a.type === 'FunctionDeclaration') {
      if (a.id?.type === 'Identifier' && COMPILER_HELPERS.has(a.id.name as string)) return true;
    } else if (a.type === 'CallExpression' && a.callee.type === 'Identifier' && a.callee.name === '__export') return true;
  }
  return false;
}

/** tsx's CommonJS banner and footer: `__filename="…";(()=>{` … `})()`. */
function isTsxWrapper(fn: AnyNode, ancestors: AnyNode[]): boolean {
  const [program, stmt, call] = ancestors;
  if (ancestors.length !== 3 || call!.callee !== fn || call!.arguments.length !== 0 || fn.params.length !== 0) return false;
  const body = program!.body as AnyNode[];
  const prev = body[body.indexOf(stmt!) - 1]?.expression as AnyNode | undefined;
  return prev?.type === 'AssignmentExpression' && prev.left.type === 'Identifier' && prev.left.name === '__filename';
}

/** Anonymous functions of a module become one line: a count, not one line each. */
export function summarizeUnnamed(unnamed: readonly Unnamed[]): Unnamed[] {
  const out: Unnamed[] = [];
  let anonymous = 0;
  for (const u of unnamed) {
    if (u === NO_NAME) anonymous++;
    else out.push(u);
  }
  if (anonymous > 0) {
    const what =
      anonymous === 1 ? '1 function without a name (a callback or IIFE)' : `${anonymous} functions without a name (callbacks, IIFEs)`;
    out.push({ func: ANONYMOUS, reason: `${what}: give it one to probe it` });
  }
  return out;
}

function keyName(prop: AnyNode): string | null {
  const k = prop.key as AnyNode;
  if (k.type === 'PrivateIdentifier') return `#${k.name as string}`;
  if (!prop.computed && k.type === 'Identifier') return k.name as string;
  if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
  return null;
}

function className(cls: AnyNode | undefined, holder: AnyNode | undefined): string | null {
  if (cls === undefined) return null;
  if (cls.id) return cls.id.name as string;
  if (holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') return holder.id.name as string;
  if (holder?.type === 'ExportDefaultDeclaration') return 'default';
  return null;
}

/** `exports.f`, `module.exports.f` → `f`; `module.exports` → `default`; `X.prototype.m` → `X.m`. */
function assignedName(left: AnyNode): string | null {
  if (left.type === 'Identifier') return left.name as string;
  const parts: string[] = [];
  let n = left;
  while (n.type === 'MemberExpression') {
    const prop = n.property as AnyNode;
    if (!n.computed && prop.type === 'Identifier') parts.unshift(prop.name as string);
    else if (prop.type === 'Literal' && typeof prop.value === 'string') parts.unshift(prop.value);
    else return null;
    n = n.object;
  }
  if (n.type === 'Identifier') parts.unshift(n.name as string);
  else if (n.type !== 'ThisExpression') return null;
  if (parts[0] === 'module' && parts[1] === 'exports') parts.splice(0, 2);
  else if (parts[0] === 'exports') parts.shift();
  if (parts.length === 0) return 'default';
  const proto = parts.indexOf('prototype');
  if (proto > 0) parts.splice(proto, 1);
  return parts.join('.');
}
