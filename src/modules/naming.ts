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

/** The probe function name of a function node from where it appears, or null when it is not a site. */
export function functionName(fn: AnyNode, ancestors: AnyNode[]): string | null {
  const parent = ancestors[ancestors.length - 1];
  const own = fn.id ? (fn.id.name as string) : null;
  if (parent === undefined) return own;
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.init === fn && parent.id.type === 'Identifier' ? (parent.id.name as string) : own;
    case 'AssignmentExpression':
      return parent.right === fn ? (assignedName(parent.left) ?? own) : own;
    case 'Property': {
      if (parent.value !== fn) return own;
      if (parent.kind !== 'init') return null;
      const key = keyName(parent);
      if (key === null) return own;
      const obj = ancestors[ancestors.length - 2];
      const holder = ancestors[ancestors.length - 3];
      if (obj?.type === 'ObjectExpression' && holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') {
        return `${holder.id.name as string}.${key}`;
      }
      return key;
    }
    case 'MethodDefinition':
    case 'PropertyDefinition': {
      if (parent.value !== fn || parent.kind === 'get' || parent.kind === 'set') return null;
      const key = keyName(parent);
      if (key === null) return null;
      const cls = className(ancestors[ancestors.length - 3], ancestors[ancestors.length - 4]);
      return cls === null ? key : `${cls}.${key}`;
    }
    case 'ExportDefaultDeclaration':
      return own ?? 'default';
    default:
      return own;
  }
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
