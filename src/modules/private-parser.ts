import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import type { parse as acornParse } from 'acorn';

/**
 * microScope's own copy of acorn, evaluated outside the module system: a program that uses
 * the same `acorn` file gets its own instance, loaded (and rewritten) like any dependency,
 * instead of the half-loaded one that a `require` from inside the module hook would share.
 */
export function loadPrivateParser(): typeof acornParse {
  const file = createRequire(import.meta.url).resolve('acorn');
  const factory = runInThisContext(`(function (exports, module) {${readFileSync(file, 'utf8')}\n})`, { filename: file }) as (
    exports: object,
    module: { exports: object },
  ) => void;
  const module = { exports: {} as { parse?: typeof acornParse } };
  factory.call(module.exports, module.exports, module);
  if (typeof module.exports.parse !== 'function') throw new Error(`${file} does not export parse`);
  return module.exports.parse;
}
