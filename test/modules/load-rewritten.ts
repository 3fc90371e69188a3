import { runInThisContext } from 'node:vm';
import { transform } from '../../src/modules/transform.js';
import { installRuntime } from '../../src/modules/runtime.js';

installRuntime();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the loaded module's exports are untyped
export type Exports = Record<string, any>;

let moduleCounter = 0;
/** A module name not used before in this process: `tN.js`. */
export function nextModuleName(): string {
  return `t${++moduleCounter}.js`;
}

/** Evaluates CommonJS source after the rewrite, as Node's wrapper would. */
export function load(source: string): { exports: Exports; module: string } {
  const module = nextModuleName();
  const { code } = transform(source, { module, format: 'commonjs' });
  const fn = runInThisContext(`(function (exports, require, module) {${code}\n})`) as (e: object, r: unknown, m: object) => void;
  const m = { exports: {} as Exports };
  fn(m.exports, null, m);
  return { exports: m.exports, module };
}
