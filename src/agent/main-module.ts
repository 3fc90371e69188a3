import nodeModule from 'node:module';
import { importsBesidesOwn } from '../core/node-flags.js';

interface CompiledModule {
  id: string;
  parent: unknown;
}
type Compile = (this: CompiledModule, ...args: unknown[]) => unknown;

/**
 * Once any `--import` is given, as the agent's is, Node loads a CommonJS main through its ES
 * module loader, which names it by its path and gives it no parent; untraced, `module.id` is
 * '.' and `module.parent` null. Put back when the main compiles, unless the program was given
 * an `--import` or `--loader` of its own (its untraced run has them too).
 */
export function keepMainModuleIdentity(): void {
  if (importsBesidesOwn(process.execArgv, process.env.NODE_OPTIONS)) return;
  const proto = (nodeModule as unknown as { prototype: { _compile: Compile } }).prototype;
  const compile = proto._compile;
  let seen = false;
  // Left in place after the main: the rewrite's compile hook may wrap this one.
  proto._compile = function (this: CompiledModule, ...args: unknown[]): unknown {
    if (!seen && this === process.mainModule) {
      seen = true;
      if (this.id !== '.') this.id = '.';
      if (this.parent === undefined) this.parent = null;
    }
    return Reflect.apply(compile, this, args);
  };
}
