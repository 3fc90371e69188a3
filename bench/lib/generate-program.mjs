// Writes a program that loads 300 modules: 50 ESM and 50 CommonJS application files and
// 10 npm packages of 20 CommonJS files each, all with exported functions and classes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ESM_FILES = 50;
export const CJS_FILES = 50;
export const PACKAGES = 10;
export const FILES_PER_PACKAGE = 20;
export const MODULE_COUNT = ESM_FILES + CJS_FILES + PACKAGES * FILES_PER_PACKAGE;

function body(i, exportFn, exportClass) {
  const fns = [];
  for (let k = 0; k < 5; k++) {
    fns.push(`${exportFn}function f${k}(a, b) {\n  const t = a * ${k + 1} + b;\n  return t > ${i} ? t - ${i} : t + ${i};\n}\n`);
  }
  const cls = `${exportClass}class Thing${i} {\n  constructor(x) {\n    this.x = x;\n  }\n  get() {\n    return this.x;\n  }\n  twice() {\n    return this.x * 2;\n  }\n}\n`;
  return `${fns.join('\n')}\n${cls}`;
}

function esmModule(i) {
  return `${body(i, 'export ', 'export ')}\nexport const id = ${i};\n`;
}

function cjsModule(i) {
  return `'use strict';\n${body(i, '', '')}\nmodule.exports = { f0, f1, f2, f3, f4, Thing${i}, id: ${i} };\n`;
}

/** Creates the program under `dir` and returns the path of its entry point. */
export function generateProgram(dir) {
  mkdirSync(join(dir, 'lib'), { recursive: true });
  const imports = [];
  const calls = [];
  for (let i = 0; i < ESM_FILES; i++) {
    writeFileSync(join(dir, 'lib', `e${i}.mjs`), esmModule(i));
    imports.push(`import * as e${i} from './lib/e${i}.mjs';`);
    calls.push(`e${i}.f0(1, 2) + new e${i}.Thing${i}(3).twice()`);
  }
  for (let i = 0; i < CJS_FILES; i++) {
    writeFileSync(join(dir, 'lib', `c${i}.cjs`), cjsModule(i));
    calls.push(`require('./lib/c${i}.cjs').f1(1, 2)`);
  }
  const deps = {};
  for (let p = 0; p < PACKAGES; p++) {
    const name = `dep-${p}`;
    const pdir = join(dir, 'node_modules', name);
    mkdirSync(pdir, { recursive: true });
    writeFileSync(join(pdir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    const requires = [];
    for (let i = 1; i < FILES_PER_PACKAGE; i++) {
      writeFileSync(join(pdir, `m${i}.js`), cjsModule(p * 100 + i));
      requires.push(`  m${i}: require('./m${i}.js'),`);
    }
    writeFileSync(join(pdir, 'index.js'), `${cjsModule(p * 100)}module.exports.parts = {\n${requires.join('\n')}\n};\n`);
    deps[name] = '1.0.0';
    calls.push(`require('${name}').parts.m1.f2(1, 2)`);
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'startup-program', version: '1.0.0', private: true, dependencies: deps }),
  );
  const main = join(dir, 'main.mjs');
  writeFileSync(
    main,
    `${imports.join('\n')}\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n` +
      `let sum = 0;\n${calls.map((c) => `sum += ${c};`).join('\n')}\nif (Number.isNaN(sum)) process.exit(1);\n`,
  );
  return main;
}
