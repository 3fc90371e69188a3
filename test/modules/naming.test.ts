import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transform } from '../../src/modules/transform.js';
import { summarizeUnnamed } from '../../src/modules/naming.js';

function names(code: string, format: 'module' | 'commonjs' = 'commonjs'): { sites: string[]; unnamed: string[] } {
  const r = transform(code, { module: 'm.js', format });
  return { sites: r.sites.map((s) => s[0]), unnamed: summarizeUnnamed(r.unnamed).map((u) => `${u.func}: ${u.reason}`) };
}

// What esbuild (tsx) emits for `export { helper } from './a'; export async function load…;
// export const twice = (n) => n * 2; export class Box { get size()…; static make = () => … }`.
const ESBUILD_CJS = `var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  for (let key of __getOwnPropNames(from))
    if (!__hasOwnProp.call(to, key) && key !== except)
      __defProp(to, key, { get: () => from[key], enumerable: true });
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var stdin_exports = {};
__export(stdin_exports, {
  Box: () => Box,
  helper: () => import_a.helper,
  load: () => load,
  twice: () => twice
});
module.exports = __toCommonJS(stdin_exports);
var import_a = require("./a");
async function load(n) {
  await null;
  return n;
}
__name(load, "load");
const twice = /* @__PURE__ */ __name((n) => n * 2, "twice");
class Box {
  static {
    __name(this, "Box");
  }
  get size() {
    return 1;
  }
  static make = /* @__PURE__ */ __name(() => new Box(), "make");
}
`;

test("esbuild's helpers and export getters are not sites; the user's functions keep their names", () => {
  assert.deepEqual(names(ESBUILD_CJS), {
    sites: ['load', 'twice', 'Box.make'],
    unnamed: ['Box.size: getter: accessors are not probe sites'],
  });
  const esm = ESBUILD_CJS.slice(ESBUILD_CJS.indexOf('var import_a')).replace(
    'var import_a = require("./a");',
    'import { helper } from "./a";',
  );
  assert.deepEqual(names(esm, 'module').sites, ['load', 'twice', 'Box.make']);
});

test("tsx's CommonJS wrapper is not an anonymous function of the program", () => {
  const wrapped = `__filename="/app/lib.ts";(()=>{\nconst helper = (n) => n + 1;\n[1].map((x) => x);\n})()\n`;
  assert.deepEqual(names(wrapped), {
    sites: ['helper'],
    unnamed: ['(anonymous): 1 function without a name (a callback or IIFE): give it one to probe it'],
  });
});

test("tsc's helpers and their inner functions are not sites; re-export getters are accessors", () => {
  const tsc = `"use strict";
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.load = load;
var a_1 = require("./a");
Object.defineProperty(exports, "helper", { enumerable: true, get: function () { return a_1.helper; } });
function load(n) {
    return __awaiter(this, void 0, void 0, function* () { yield null; return n; });
}
const twice = (n) => n * 2;
exports.twice = twice;
`;
  assert.deepEqual(names(tsc), {
    sites: ['load', 'twice'],
    unnamed: [
      'helper: getter: accessors are not probe sites',
      '(anonymous): 1 function without a name (a callback or IIFE): give it one to probe it',
    ],
  });
});

test('accessors and computed keys are reported with the name a user would look for', () => {
  const src = `
    class K { get g() { return 1; } set g(v) {} [Symbol.iterator]() {} }
    const api = { get x() { return 1; } };
    Object.defineProperties(api, { y: { get() { return 2; } } });
    [1, 2].forEach(function () {}, () => {});
  `;
  assert.deepEqual(names(src), {
    sites: [],
    unnamed: [
      'K.g: getter: accessors are not probe sites',
      'K.g: setter: accessors are not probe sites',
      '(computed): computed key: no name known before it runs',
      'api.x: getter: accessors are not probe sites',
      'y: getter: accessors are not probe sites',
      '(anonymous): 2 functions without a name (callbacks, IIFEs): give it one to probe it',
    ],
  });
});
