import type { Expr } from './ast.js';
import { isNull } from './builtins.js';
import { AF_INET, AF_INET6 } from './runtime/strings.js';

/** Code that reads built-in variable `name` in a clause (`ev` is the event, `rt` the runtime). */
export function builtinVariable(name: string): string {
  const m = /^arg([0-9])$/.exec(name);
  if (m !== null) return `argAt(ev.args, ${m[1]})`;
  switch (name) {
    case 'args':
      return 'ev.args';
    case 'retval':
      return 'nv(ev.retval)';
    case 'errno':
      return 'rt.errno(ev)';
    case 'errmsg':
      return 'rt.errmsg(ev)';
    case 'timestamp':
      return 'ev.timestamp';
    case 'elapsed':
      return 'ev.elapsed';
    case 'vtime':
      return 'ev.vtime';
    case 'concurrency':
      return 'ev.concurrency';
    case 'vtimestamp':
      return 'rt.vtimestamp()';
    case 'walltimestamp':
      return 'rt.walltimestamp()';
    case 'tid':
      return 'ev.tid';
    case 'activity':
      return 'ev.activity';
    case 'id':
      return 'ev.probe.id';
    case 'cpu':
      return '0';
    case 'probeprov':
      return 'ev.probe.provider';
    case 'probemod':
      return 'ev.probe.module';
    case 'probefunc':
      return 'ev.probe.func';
    case 'probename':
      return 'ev.probe.name';
    case 'cwd':
      return 'rt.cwd()';
    case 'NULL':
      return '0';
    case '$target':
      return 'rt.target';
    case 'AF_INET':
      return String(AF_INET);
    case 'AF_INET6':
      return String(AF_INET6);
    default:
      return `rt.${name}`;
  }
}

/**
 * Code for a call of a built-in string, stack or speculation function, given how to compile
 * an argument as a string and as an integer; null for an action (printf, exit…).
 */
export function builtinCall(
  e: Extract<Expr, { kind: 'call' }>,
  str: (e: Expr) => string,
  int: (e: Expr) => string,
  raw: (e: Expr) => string,
): string | null {
  const a = e.args;
  const s = (i: number): string => str(a[i]!);
  const n = (i: number): string => int(a[i]!);
  const r = (i: number): string => raw(a[i]!);
  const opt = (i: number): string => (a[i] === undefined ? '' : `, ${n(i)}`);
  switch (e.name) {
    case 'strlen':
      return `${s(0)}.length`;
    case 'strjoin':
      return `ts(${s(0)} + ${s(1)})`;
    case 'substr':
      return `S.substr(${s(0)}, ${n(1)}, ${a[2] === undefined ? 'undefined' : n(2)}, rt.strsize)`;
    case 'strtok':
      return `rt.strtok(ev, ${isNull(a[0]!) ? 'null' : s(0)}, ${s(1)})`;
    case 'cleanpath':
      return `S.cleanpath(${s(0)}, rt.strsize)`;
    case 'inet_ntoa':
      return `S.inetNtoa(rt.scratch.read(${r(0)}, 4))`;
    case 'inet_ntoa6':
      return `S.inetNtoa6(rt.scratch.read(${r(0)}, 16))`;
    case 'inet_ntop':
      return `rt.inetNtop(${n(0)}, ${r(1)})`;
    case 'alloca':
      return `rt.scratch.alloca(${n(0)})`;
    case 'bcopy':
      return `rt.bcopy(${r(0)}, ${n(1)}, ${n(2)})`;
    case 'copyinto':
      return `rt.bcopy(${r(0)}, ${n(2)}, ${n(1)})`;
    case 'index':
    case 'rindex':
      return `S.${e.name}(${s(0)}, ${s(1)}${opt(2)})`;
    case 'strstr':
    case 'json':
      return `S.${e.name}(${s(0)}, ${s(1)})`;
    case 'strchr':
    case 'strrchr':
      return `S.${e.name}(${s(0)}, ${n(1)})`;
    case 'tolower':
      return `${s(0)}.toLowerCase()`;
    case 'toupper':
      return `${s(0)}.toUpperCase()`;
    case 'lltostr':
      return `S.lltostr(${n(0)}${opt(1)})`;
    case 'strtoll':
      return `S.strtoll(${s(0)}${opt(1)})`;
    case 'basename':
    case 'dirname':
      return `S.${e.name}(${s(0)})`;
    case 'copyinstr':
    case 'stringof':
      return a[0]!.type === 'int' ? `rt.memString(${n(0)})` : s(0);
    case 'str':
      return s(0);
    case 'stack':
    case 'ustack':
      return `rt.stack(${a[0] === undefined ? '0' : `Number(${n(0)})`}, ${e.name === 'ustack'})`;
    case 'speculation':
      return 'rt.speculation()';
    case 'rand':
      return 'rt.rand()';
    default:
      return null;
  }
}
